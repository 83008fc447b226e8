import { GuardError } from '../errors.js';
import type { CacheReport, LoadProgress } from '../types.js';
import { parseManifest, type ModelManifest } from './manifest.js';
import type { ResolvedModelSource } from './model-source.js';
import type { ModelStore } from './model-store.js';
import { sha256Hex } from './sha256.js';

const MANIFEST = 'manifest.json';

/**
 * Gets a model's files onto the device: from IndexedDB when stored and intact, else from the
 * network; every file is hashed and checked (pinned hash > manifest > the hash recorded when it
 * was first stored). A corrupted cached file is discarded and fetched again; a download that
 * does not match is fetched once more, then refused with `integrity-failed`. Storage failures
 * (quota, private mode) never stop a load: the files are used from memory and the report says so.
 */
export class ModelFileLoader {
  private manifest: ModelManifest | null = null;
  private storeProblem: GuardError | null = null;
  private readonly sizes = new Map<string, { loaded: number; total: number }>();
  readonly report: CacheReport;

  constructor(
    private readonly source: ResolvedModelSource,
    private readonly store: ModelStore | null,
    private readonly options: { signal?: AbortSignal; onProgress?: (p: LoadProgress) => void } = {},
  ) {
    this.report = { model: source.id, revision: source.revision, fromCache: [], fromNetwork: [], repaired: [] };
  }

  /** Reads `manifest.json` if the folder has one (a folder without one is verified trust-on-first-use). */
  async loadManifest(): Promise<ModelManifest | null> {
    const bytes = await this.loadFile(MANIFEST, { optional: true });
    if (!bytes) return null;
    let json: unknown;
    try {
      json = JSON.parse(new TextDecoder().decode(bytes));
    } catch (cause) {
      throw new GuardError('model-load-failed', `${this.source.baseUrl}${MANIFEST} is not valid JSON`, { cause });
    }
    this.manifest = parseManifest(json, `${this.source.baseUrl}${MANIFEST}`);
    return this.manifest;
  }

  /** Files the manifest lists (or null without a manifest). */
  listedFiles(): string[] | null {
    return this.manifest ? Object.keys(this.manifest.files) : null;
  }

  /** Loads several files in parallel; resolves with their bytes by name. */
  async loadFiles(files: string[]): Promise<Map<string, Uint8Array>> {
    await this.checkQuota(files);
    const loaded = await Promise.all(files.map(async (file) => [file, (await this.loadFile(file))!] as const));
    return new Map(loaded);
  }

  private expectedHash(file: string): string | undefined {
    return this.source.sha256[file] ?? this.manifest?.files[file]?.sha256;
  }

  /** Before large downloads: is there room to keep them? If not, say so and do not try. */
  private async checkQuota(files: string[]): Promise<void> {
    const storage = (globalThis.navigator as { storage?: StorageManager } | undefined)?.storage;
    if (!this.store || !storage?.estimate || !this.manifest) return;
    const needed = files.reduce((sum, f) => sum + (this.manifest!.files[f]?.size ?? 0), 0);
    try {
      const { quota, usage } = await storage.estimate();
      if (quota !== undefined && usage !== undefined && quota - usage < needed) {
        this.noteStoreProblem(new GuardError('storage-quota', `the model needs ${needed} bytes but only ${quota - usage} are free; it runs from the network copy`));
      }
    } catch {
      // No estimate: try storing and let a QuotaExceededError speak.
    }
  }

  private noteStoreProblem(problem: GuardError): void {
    this.storeProblem ??= problem;
    this.report.storageProblem ??= { code: problem.code, message: problem.message };
  }

  private progress(file: string, phase: LoadProgress['phase'], loaded: number, total: number): void {
    this.sizes.set(file, { loaded, total });
    if (!this.options.onProgress) return;
    let overallLoaded = 0;
    let overallTotal = 0;
    for (const s of this.sizes.values()) {
      overallLoaded += s.loaded;
      overallTotal += s.total;
    }
    this.options.onProgress({ file, phase, loaded, total, overall: { loaded: overallLoaded, total: overallTotal } });
  }

  private async loadFile(file: string, { optional = false } = {}): Promise<Uint8Array | null> {
    const expected = this.expectedHash(file);
    const cached = await this.readCached(file, expected);
    if (cached) return cached;

    let bytes = await this.download(file, optional);
    if (!bytes) return null;
    let hash = await sha256Hex(bytes);
    if (expected && hash !== expected) {
      // One more try: a proxy or an interrupted write may have served a bad copy.
      bytes = (await this.download(file, false))!;
      hash = await sha256Hex(bytes);
      if (hash !== expected) {
        throw new GuardError('integrity-failed', `${this.source.baseUrl}${file} has SHA-256 ${hash}, expected ${expected}; refusing to load it`);
      }
    }
    this.report.fromNetwork.push(file);
    await this.storeFile(file, bytes, hash);
    this.progress(file, 'done', bytes.byteLength, bytes.byteLength);
    return bytes;
  }

  private async readCached(file: string, expected: string | undefined): Promise<Uint8Array | null> {
    if (!this.store) return null;
    let entry;
    try {
      entry = await this.store.get(this.source.id, this.source.revision, file);
    } catch (cause) {
      this.noteStoreProblem(cause instanceof GuardError ? cause : new GuardError('storage-unavailable', 'reading the model cache failed', { cause }));
      return null;
    }
    if (!entry) return null;
    const bytes = new Uint8Array(entry.bytes);
    const hash = await sha256Hex(bytes);
    if (hash === (expected ?? entry.sha256)) {
      this.report.fromCache.push(file);
      this.progress(file, 'cache', bytes.byteLength, bytes.byteLength);
      this.progress(file, 'done', bytes.byteLength, bytes.byteLength);
      return bytes;
    }
    // Corrupted or tampered (or superseded by a new pinned hash): never use it.
    this.report.repaired.push(file);
    await this.store.delete(this.source.id, this.source.revision, file).catch(() => undefined);
    return null;
  }

  private async storeFile(file: string, bytes: Uint8Array, sha256: string): Promise<void> {
    if (!this.store || this.storeProblem) return;
    try {
      const copy = bytes.slice().buffer;
      await this.store.put({ model: this.source.id, revision: this.source.revision, file, size: bytes.byteLength, sha256, storedAt: Date.now(), bytes: copy });
    } catch (cause) {
      this.noteStoreProblem(cause instanceof GuardError ? cause : new GuardError('storage-unavailable', `storing ${file} failed`, { cause }));
    }
  }

  private async download(file: string, optional: boolean): Promise<Uint8Array | null> {
    const url = `${this.source.baseUrl}${file}`;
    const signal = this.options.signal;
    let response: Response;
    try {
      response = await fetch(url, signal ? { signal } : {});
    } catch (cause) {
      if (signal?.aborted) throw new GuardError('aborted', 'the model load was cancelled', { cause });
      throw new GuardError('model-load-failed', `could not fetch ${url}`, { cause });
    }
    if (response.status === 404 && optional) return null;
    if (!response.ok) throw new GuardError('model-load-failed', `fetching ${url} gave HTTP ${response.status}`);
    const total = Number(response.headers.get('content-length')) || this.manifest?.files[file]?.size || 0;
    if (!response.body) return new Uint8Array(await response.arrayBuffer());
    const reader = response.body.getReader();
    const chunks: Uint8Array[] = [];
    let loaded = 0;
    this.progress(file, 'network', 0, total);
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        chunks.push(value);
        loaded += value.byteLength;
        this.progress(file, 'network', loaded, Math.max(total, loaded));
      }
    } catch (cause) {
      if (signal?.aborted) throw new GuardError('aborted', 'the model load was cancelled', { cause });
      throw new GuardError('model-load-failed', `the download of ${url} broke off after ${loaded} bytes`, { cause });
    }
    const bytes = new Uint8Array(loaded);
    let offset = 0;
    for (const chunk of chunks) {
      bytes.set(chunk, offset);
      offset += chunk.byteLength;
    }
    return bytes;
  }
}
