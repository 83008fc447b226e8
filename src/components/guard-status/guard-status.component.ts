import { html, type PropertyValues } from 'lit';
import { GuardError } from '../../errors.js';
import type { Guard, GuardStatusReport, ReviewModelStatus } from '../../guard.js';
import { SHIPPED_MODEL_FILES } from '../../shipped-models.js';
import { GuardSourceElement } from '../guard-source-element.js';
import { modelSourceOf } from '../model-attribute.js';
import { listCachedModels } from '../../store/model-cache.js';
import { modelDisplayName, resolveModelSource } from '../../store/model-source.js';
import type { StoredModelSummary } from '../../store/model-store.js';
import type { BackendInfo, CacheReport, LoadProgress, OptionalPartStatus } from '../../types.js';
import { sharedGuard, watchSharedGuard } from '../shared-guard.js';
import { DEFAULT_GUARD_STATUS_STRINGS, type GuardStatusStrings } from './guard-status.strings.js';
import { guardStatusStyles } from './guard-status.styles.js';

/** What this device holds of the model: stored files, nothing, or why the cache cannot be read. */
type CacheState = { kind: 'unknown' } | { kind: 'stored'; summary: StoredModelSummary } | { kind: 'none' } | { kind: 'problem'; message: string };

/** A second classifier's strings: loading, ready, unavailable. */
type SecondModelStrings = [GuardStatusStrings['reviewLoading'], GuardStatusStrings['reviewReady'], GuardStatusStrings['reviewUnavailable']];

type Status = 'idle' | 'loading' | 'ready' | 'error';

/**
 * Shows the state of the safety model a page uses: download progress, the backend that runs
 * it (and why), and what this device has cached; with a button that loads the model ahead of
 * first use. It follows the page's shared guard for the same `model`, `backend` and `policy`
 * as `<guarded-chat>` uses, so it shows the chat's download too, and its prefetch is the one
 * load the chat then finds ready.
 *
 * Every event bubbles and is `composed`; progress and ready are dispatched only for a load
 * this element started (the prefetch button or `prefetch()`), so a page listening on the
 * document does not hear one load twice.
 *
 * @event guard-progress - download progress of a load started here; detail: `LoadProgress`.
 * @event guard-ready - a load started here finished; detail: `{ backend, cache }`.
 * @event guard-error - a load started here failed; detail: `{ error, source: 'guard' }`.
 *
 * @csspart progress - the progress bar
 * @csspart state - the load state line (an ARIA live region)
 * @csspart backend - the backend line
 * @csspart cache - the cache line
 * @csspart language - the language check's line, shown while the language-id model is unavailable
 * @csspart review - the second model's line, shown while the policy has a classifier second review
 * @csspart reader - the multilingual reader's line, shown while the policy has one (`language.multilingual`)
 * @csspart prefetch - the prefetch button
 *
 * @cssprop --guard-status-border, --guard-status-radius, --guard-status-font
 *
 * @tagname guard-status
 */
export class GuardStatus extends GuardSourceElement {
  static override styles = guardStatusStyles;

  static override properties = {
    ...GuardSourceElement.properties,
    strings: { attribute: false },
    status: { state: true },
    progress: { state: true },
    backendInfo: { state: true },
    cacheReport: { state: true },
    cacheState: { state: true },
    problem: { state: true },
    language: { state: true },
    review: { state: true },
    reader: { state: true },
  };

  /** UI texts to replace (i18n); the rest keep `DEFAULT_GUARD_STATUS_STRINGS`. */
  declare strings: Partial<GuardStatusStrings>;
  declare status: Status;
  declare progress: LoadProgress | null;
  declare backendInfo: BackendInfo | null;
  declare cacheReport: CacheReport | null;
  declare cacheState: CacheState;
  declare problem: string;
  declare language: OptionalPartStatus;
  declare review: ReviewModelStatus | null;
  declare reader: ReviewModelStatus | null;

  /** Stops following the shared guard. */
  private unwatch: (() => void) | null = null;
  /** Whether this element started the load in flight (it then dispatches its events). */
  private loadStartedHere = false;
  /** Whether the load in flight fetched anything from the network (else it reads this device's cache). */
  private downloading = false;
  /** Counts cache reads, so a slow, superseded one cannot win. */
  private cacheRead = 0;
  /** Stops listening to the shown guard's `statuschange`. */
  private unlisten: (() => void) | null = null;

  constructor() {
    super();
    this.strings = {};
    this.status = 'idle';
    this.progress = null;
    this.backendInfo = null;
    this.cacheReport = null;
    this.cacheState = { kind: 'unknown' };
    this.problem = '';
    this.language = { state: 'off' };
    this.review = null;
    this.reader = null;
  }

  private get text(): GuardStatusStrings {
    return { ...DEFAULT_GUARD_STATUS_STRINGS, ...this.strings };
  }

  override connectedCallback(): void {
    super.connectedCallback();
    // Re-attached after a move: follow again (willUpdate runs only when a property changes).
    if (!this.unwatch && this.hasUpdated) this.follow();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.unwatch?.();
    this.unwatch = null;
    this.unlisten?.();
    this.unlisten = null;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('model') || changed.has('backend') || changed.has('policy') || changed.has('guard') || changed.has('judge')) this.follow();
  }

  /** Starts following the guard the properties name, and reads what the cache holds of its model. */
  private follow(): void {
    this.unwatch?.();
    this.unwatch = null;
    this.unlisten?.();
    this.unlisten = null;
    this.language = { state: 'off' };
    this.review = null;
    this.reader = null;
    this.progress = null;
    this.downloading = false;
    this.problem = '';
    this.loadStartedHere = false;
    if (this.guard) {
      this.showReady(this.guard);
    } else {
      this.status = 'idle';
      this.backendInfo = null;
      this.cacheReport = null;
      this.unwatch = watchSharedGuard(this.sharedGuardOptions, {
        progress: (progress) => {
          this.status = 'loading';
          this.progress = progress;
          this.downloading ||= progress.phase === 'network';
          if (this.loadStartedHere) this.emit('guard-progress', progress);
        },
        ready: (guard) => {
          this.showReady(guard);
          if (this.loadStartedHere) this.emit('guard-ready', { backend: guard.backend, cache: guard.cache });
          this.loadStartedHere = false;
        },
        error: (error) => {
          this.status = 'error';
          this.problem = this.text.failed(error instanceof GuardError ? error.code : undefined, error instanceof Error ? error.message : String(error));
          if (this.loadStartedHere) this.emit('guard-error', { error, source: 'guard' });
          this.loadStartedHere = false;
        },
      });
    }
    void this.readCache();
  }

  private showReady(guard: Guard): void {
    this.status = 'ready';
    this.backendInfo = guard.backend;
    this.cacheReport = guard.cache;
    this.unlisten?.();
    this.language = guard.status.language;
    this.review = guard.status.review;
    this.reader = guard.status.reader;
    const onStatus = (event: Event) => {
      const detail = (event as CustomEvent<GuardStatusReport>).detail;
      this.language = detail.language;
      this.review = detail.review;
      this.reader = detail.reader;
    };
    guard.addEventListener('statuschange', onStatus);
    this.unlisten = () => guard.removeEventListener('statuschange', onStatus);
    void this.readCache();
  }

  /** A second classifier's line, in its own strings (`[loading, ready, unavailable]`). */
  private secondModelLine(model: ReviewModelStatus, [loading, ready, unavailable]: SecondModelStrings): string {
    // The model's folder or hub name reads better than its full id (a URL, or hub:org/name@revision).
    const name = modelDisplayName(model.model);
    if (model.state === 'loading') return loading(name);
    if (model.state === 'ready') return ready(name);
    return unavailable(name, model.message ?? '');
  }

  /** Reads again what this device stores of the model: call it after the page cleared or evicted cached models. */
  refreshCache(): Promise<void> {
    return this.readCache();
  }

  /** What IndexedDB holds of this element's model (any revision of it). */
  private async readCache(): Promise<void> {
    const read = ++this.cacheRead;
    const id = this.modelId();
    if (!id) {
      this.cacheState = { kind: 'unknown' };
      return;
    }
    let state: CacheState;
    try {
      const stored = (await listCachedModels()).filter((m) => m.model === id);
      state = stored.length === 0 ? { kind: 'none' } : { kind: 'stored', summary: stored.reduce((a, b) => (a.bytes >= b.bytes ? a : b)) };
    } catch (error) {
      state = { kind: 'problem', message: error instanceof Error ? error.message : String(error) };
    }
    if (read === this.cacheRead) this.cacheState = state;
  }

  /** The cache key of the model shown: the guard's own, or the `model` URL resolved against the page. */
  private modelId(): string | null {
    if (this.guard) return this.guard.cache.model;
    try {
      return resolveModelSource(modelSourceOf(this.model), document.baseURI, SHIPPED_MODEL_FILES).id;
    } catch {
      return null;
    }
  }

  /**
   * Loads the model now (download, verify, store), as the page's shared guard, so that the
   * first screen does not wait for it. Resolves when it is ready; never rejects (a failure is
   * shown and dispatched as `guard-error`).
   */
  async prefetch(): Promise<void> {
    if (this.guard || this.status === 'loading') return;
    this.loadStartedHere = true;
    this.status = 'loading';
    this.problem = '';
    try {
      await sharedGuard(this.sharedGuardOptions);
    } catch {
      // Shown and dispatched by the watcher's error handler.
    }
  }

  private emit(type: string, detail: unknown): void {
    this.dispatchEvent(new CustomEvent(type, { detail, bubbles: true, composed: true }));
  }

  private stateLine(text: GuardStatusStrings): string {
    if (this.status === 'error') return this.problem;
    if (this.status === 'ready') return text.ready(this.cacheReport?.fromCache.length ?? 0, this.cacheReport?.fromNetwork.length ?? 0);
    if (this.status === 'loading') {
      const p = this.progress;
      const total = p?.overall.total ?? 0;
      const loaded = p?.overall.loaded ?? 0;
      return text.loading(total > 0 ? Math.floor((100 * loaded) / total) : null, loaded, total, !this.downloading);
    }
    return text.idle;
  }

  private cacheLine(text: GuardStatusStrings): string {
    const storage = this.cacheReport?.storageProblem;
    if (storage) return text.storageProblem(storage.message);
    const state = this.cacheState;
    if (state.kind === 'stored') return text.cached(state.summary.files.length, state.summary.bytes);
    if (state.kind === 'none') return text.notCached;
    if (state.kind === 'problem') return text.storageProblem(state.message);
    return '';
  }

  protected override render() {
    const text = this.text;
    const total = this.progress?.overall.total ?? 0;
    const loaded = this.progress?.overall.loaded ?? 0;
    // Ready: a full bar (also when the guard came ready-made and no progress was seen);
    // loading with the size not known yet: an indeterminate bar; idle: an empty one.
    const bar = this.status === 'ready' ? { max: 1, value: 1 } : total > 0 ? { max: total, value: loaded } : this.status === 'loading' ? null : { max: 1, value: 0 };
    return html`
      <div class="row">
        ${bar
          ? html`<progress part="progress" aria-label=${text.progressLabel} max=${bar.max} .value=${bar.value}></progress>`
          : html`<progress part="progress" aria-label=${text.progressLabel}></progress>`}
        <button part="prefetch" type="button" ?disabled=${!this.model || !!this.guard || this.status === 'loading' || this.status === 'ready'} @click=${() => void this.prefetch()}>
          ${text.prefetch}
        </button>
      </div>
      <p part="state" class=${this.status} role="status" aria-live="polite">${this.stateLine(text)}</p>
      <p part="backend">${this.backendInfo ? text.backend(this.backendInfo.summary) : text.backendUnknown}</p>
      <p part="cache">${this.cacheLine(text)}</p>
      ${this.language.state === 'unavailable' ? html`<p part="language" role="status">${text.languageUnavailable(this.language.message ?? '')}</p>` : ''}
      ${this.review ? html`<p part="review" role="status">${this.secondModelLine(this.review, [text.reviewLoading, text.reviewReady, text.reviewUnavailable])}</p>` : ''}
      ${this.reader ? html`<p part="reader" role="status">${this.secondModelLine(this.reader, [text.readerLoading, text.readerReady, text.readerUnavailable])}</p>` : ''}
    `;
  }
}
