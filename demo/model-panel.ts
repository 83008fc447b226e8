import { clearModelCache, listCachedModels, requestPersistentStorage, type Guard, type GuardStatus } from '../src/index.js';
import { el } from './element.js';

const size = (bytes: number): string =>
  bytes >= 1e6 ? `${(bytes / 1e6).toFixed(1)} MB` : bytes >= 1e3 ? `${(bytes / 1e3).toFixed(1)} kB` : `${bytes} B`;

interface ManifestFile { path: string; bytes: number; sha256: string }

/** Definition list rows from [term, description] pairs. */
const facts = (pairs: [string, string][]) => el('dl', { class: 'facts' }, ...pairs.flatMap(([term, value]) => [el('dt', {}, term), el('dd', {}, value)]));

/**
 * What runs and where it came from: the backend (and why), the model's files with their sizes
 * and hashes, this load's cache report, the models stored on this device, and buttons to clear
 * that cache and to ask for persistent storage.
 */
export class ModelPanel {
  private readonly backend = el('div');
  private readonly cached = el('div', { id: 'cached-models' });
  private readonly storage = el('p', { id: 'storage-state', role: 'status' });

  /** `status`: a `<guard-status>` showing the same guard, placed first (the component a page would drop in). */
  constructor(root: HTMLElement, private readonly guard: Guard, manifestUrl: string, private readonly status?: GuardStatus) {
    const clear = el('button', { type: 'button', id: 'clear-cache' }, 'Clear the model cache');
    const persist = el('button', { type: 'button', id: 'persist-storage' }, 'Keep models (persistent storage)');
    const refresh = el('button', { type: 'button' }, 'Refresh');
    clear.addEventListener('click', async () => {
      await clearModelCache();
      this.storage.textContent = 'Cache cleared. The running guard keeps its loaded model; the next visit downloads it again.';
      await this.refresh();
    });
    persist.addEventListener('click', async () => {
      const granted = await requestPersistentStorage();
      this.storage.textContent = granted ? 'Persistent storage granted: the browser will not evict the models under storage pressure.' : 'The browser declined persistent storage (it decides by its own rules, e.g. site engagement).';
    });
    refresh.addEventListener('click', () => void this.refresh());
    const files = el('div', { id: 'model-files' }, el('p', {}, 'Reading the manifest…'));
    if (status) root.append(el('h3', {}, 'At a glance: ', el('code', {}, '<guard-status>')), status);
    root.append(
      el('h3', {}, 'Backend'), this.backend,
      el('h3', {}, 'Model files'), files,
      el('h3', {}, 'This load'), this.loadReport(),
      el('h3', {}, 'Stored on this device'), this.cached,
      el('div', { class: 'buttons' }, refresh, clear, persist),
      this.storage,
    );
    this.renderBackend();
    guard.addEventListener('backendchange', () => this.renderBackend());
    // The language-id model is stored after the guard is ready: list it once it is.
    guard.addEventListener('statuschange', () => void this.refresh());
    void this.renderFiles(files, manifestUrl);
    void this.refresh();
  }

  private renderBackend(): void {
    const b = this.guard.backend;
    this.backend.replaceChildren(facts([
      ['backend', b.name],
      ['why', b.reason],
      ['threads', b.name === 'wasm' ? `${b.threads}${b.threads === 1 ? ' (the page is not cross-origin isolated)' : ''}` : '–'],
      ...(b.adapter ? [['adapter', b.adapter] as [string, string]] : []),
      ['file that runs', b.modelFile],
      ['labels', this.guard.labels.join(', ')],
    ]));
  }

  private loadReport(): HTMLElement {
    const c = this.guard.cache;
    return facts([
      ['model', `${c.model} @ ${c.revision}`],
      ['from the cache', c.fromCache.join(', ') || 'none'],
      ['from the network', c.fromNetwork.join(', ') || 'none'],
      ['repaired', c.repaired.join(', ') || 'none'],
      ['storage problem', c.storageProblem ? `${c.storageProblem.code}: ${c.storageProblem.message}` : 'none'],
    ]);
  }

  private async renderFiles(target: HTMLElement, manifestUrl: string): Promise<void> {
    try {
      const response = await fetch(manifestUrl);
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      const manifest = (await response.json()) as { files: ManifestFile[] };
      const running = this.guard.backend.modelFile;
      target.replaceChildren(el('table', { class: 'files' },
        el('caption', { class: 'visually-hidden' }, 'Files of the model, from its manifest'),
        el('thead', {}, el('tr', {}, ...['file', 'size', 'SHA-256'].map((h) => el('th', { scope: 'col' }, h)))),
        el('tbody', {}, ...manifest.files.map((f) => el('tr', { class: f.path === running ? 'running' : undefined },
          el('td', {}, el('code', {}, f.path), f.path === running ? ' (runs now)' : ''),
          el('td', { class: 'num' }, size(f.bytes)),
          el('td', {}, el('code', { title: f.sha256 }, `${f.sha256.slice(0, 16)}…`)))))));
    } catch (error) {
      target.replaceChildren(el('p', {}, `Could not read the manifest (${error instanceof Error ? error.message : String(error)}).`));
    }
  }

  /** Re-reads the stored models and the storage estimate. */
  async refresh(): Promise<void> {
    void this.status?.refreshCache();
    const [models, estimate, persisted] = await Promise.all([
      listCachedModels().catch(() => null),
      navigator.storage?.estimate?.().catch(() => undefined),
      navigator.storage?.persisted?.().catch(() => false),
    ]);
    const rows = models === null
      ? [el('p', {}, 'IndexedDB is not available here: models run from the network copy.')]
      : models.length === 0
        ? [el('p', {}, 'No models stored.')]
        : [el('table', { class: 'files' },
          el('caption', { class: 'visually-hidden' }, 'Models stored in IndexedDB'),
          el('thead', {}, el('tr', {}, ...['model', 'revision', 'files', 'size'].map((h) => el('th', { scope: 'col' }, h)))),
          el('tbody', {}, ...models.map((m) => el('tr', {},
            el('td', {}, el('code', {}, m.model)), el('td', {}, m.revision), el('td', { class: 'num' }, m.files.length), el('td', { class: 'num' }, size(m.bytes))))))];
    const usage = estimate?.usage !== undefined && estimate.quota !== undefined
      ? `Storage used by this site: ${size(estimate.usage)} of ${size(estimate.quota)} allowed; ${persisted ? 'persistent' : 'best-effort (may be evicted under pressure)'}.`
      : '';
    this.cached.replaceChildren(...rows, el('p', {}, usage));
  }
}
