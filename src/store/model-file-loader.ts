import { GuardError } from '../errors.js';
import type { CacheReport, LoadProgress } from '../types.js';
import { dataUrlBytes } from './data-url.js';
import { parseManifest, type ModelManifest } from './manifest.js';
import type { ResolvedModelSource } from './model-source.js';
import { DEFAULT_DOWNLOAD_RETRY, isRetryableStatus, retryDelayMs, type DownloadRetry } from './download-retry.js';
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
    private readonly options: { signal?: AbortSignal; onProgress?: (p: LoadProgress) => void; retry?: DownloadRetry } = {},
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

  /**
   * Loads several files in parallel; resolves with their bytes by name. When some fail, the
   * error is the first failing file's in the order asked for, not whichever failed first in
   * time, so the same missing model always gives the same message.
   */
  async loadFiles(files: string[]): Promise<Map<string, Uint8Array>> {
    await this.checkQuota(files);
    const settled = await Promise.allSettled(files.map((file) => this.loadFile(file)));
    const failed = settled.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw failed.reason;
    return new Map(files.map((file, i) => [file, (settled[i] as PromiseFulfilledResult<Uint8Array | null>).value!]));
  }

  /**
   * One file, or null when the folder has none (HTTP 404): for callers that learn which files a
   * model needs as they go (transformers.js asking for a generative model's files).
   */
  loadOptionalFile(file: string): Promise<Uint8Array | null> {
    return this.loadFile(file, { optional: true });
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

  /**
   * Loads one file holding a lock on it (Web Locks, shared by every tab and worker of the
   * origin): two tabs opening the same model at once download and store it once; the second
   * finds it stored when its turn comes.
   */
  private async loadFile(file: string, options: { optional?: boolean } = {}): Promise<Uint8Array | null> {
    const locks = (globalThis.navigator as { locks?: LockManager } | undefined)?.locks;
    if (!this.store || !locks) return this.loadFileUnlocked(file, options);
    const name = `guarded-chat:model-file:${JSON.stringify([this.source.id, this.source.revision, file])}`;
    const signal = this.options.signal;
    try {
      return await locks.request(name, signal ? { signal } : {}, () => this.loadFileUnlocked(file, options));
    } catch (error) {
      if (signal?.aborted && !(error instanceof GuardError)) throw new GuardError('aborted', 'the model load was cancelled', { cause: error });
      throw error;
    }
  }

  private async loadFileUnlocked(file: string, { optional = false } = {}): Promise<Uint8Array | null> {
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

  /**
   * Fetches one file, retrying what may pass (network errors, a body cut off, a stalled
   * response, HTTP 5xx/408/429) with exponential backoff and jitter, and resuming a cut-off
   * body with a `Range` request where the server honours it (else starting over). A 404 or
   * other 4xx fails at once: asking again would get the same answer. After the last try it
   * rejects with `model-load-failed`, saying how many tries were made and why the last failed.
   */
  private async download(file: string, optional: boolean): Promise<Uint8Array | null> {
    const url = this.source.files?.[file] ?? `${this.source.baseUrl}${file}`;
    const inlined = dataUrlBytes(url);
    if (inlined) return inlined;
    const retry = this.options.retry ?? DEFAULT_DOWNLOAD_RETRY;
    const body: BodySoFar = { chunks: [], loaded: 0, total: 0, validator: null };
    for (let attempt = 1; ; attempt++) {
      try {
        const outcome = await this.downloadAttempt(url, file, body, retry.stallTimeoutMs);
        if (outcome === 'absent') {
          if (optional) return null;
          throw new PermanentFailure(`fetching ${url} gave HTTP 404`);
        }
        return joinChunks(body.chunks, body.loaded);
      } catch (error) {
        if (error instanceof GuardError) throw error; // aborted
        if (error instanceof PermanentFailure) throw new GuardError('model-load-failed', error.message);
        const reason = (error as Error).message;
        if (attempt >= retry.attempts) {
          const tries = attempt === 1 ? '1 try' : `${attempt} tries`;
          throw new GuardError('model-load-failed', `${reason} (gave up after ${tries})`, { cause: error });
        }
        this.report.retries = (this.report.retries ?? 0) + 1;
        await sleep(retryDelayMs(attempt, retry), this.options.signal);
      }
    }
  }

  /**
   * One request for `url`. Appends to `body`, resuming after `body.loaded` bytes when it has
   * some. Throws `TransientFailure` for what another try may fix, `PermanentFailure` for what
   * it will not, `GuardError('aborted')` when the load was cancelled.
   */
  private async downloadAttempt(url: string, file: string, body: BodySoFar, stallTimeoutMs: number): Promise<'done' | 'absent'> {
    const signal = this.options.signal;
    // This try's own signal: aborted by a stall, or by the caller cancelling the load.
    const attempt = new AbortController();
    let stalled = false;
    const onCancel = () => attempt.abort();
    signal?.addEventListener('abort', onCancel, { once: true });
    let stallTimer: ReturnType<typeof setTimeout> | undefined;
    const armStall = () => {
      clearTimeout(stallTimer);
      stallTimer = setTimeout(() => {
        stalled = true;
        attempt.abort();
      }, stallTimeoutMs);
    };
    const headers: Record<string, string> = {};
    if (body.loaded > 0) {
      headers.range = `bytes=${body.loaded}-`;
      // Only splice onto the bytes we have if the file has not changed since.
      if (body.validator) headers['if-range'] = body.validator;
    }
    const failed = (cause: unknown, what: string): never => {
      if (signal?.aborted) throw new GuardError('aborted', 'the model load was cancelled', { cause });
      if (stalled) throw new TransientFailure(`the download of ${url} stalled: no bytes for ${stallTimeoutMs} ms after ${body.loaded}`);
      throw new TransientFailure(`${what}: ${(cause as Error)?.message ?? String(cause)}`);
    };
    try {
      armStall();
      let response: Response;
      try {
        response = await fetch(url, { signal: attempt.signal, headers });
      } catch (cause) {
        return failed(cause, `could not fetch ${url}`);
      }
      if (response.status === 404) return 'absent';
      if (response.status === 416 && body.loaded > 0) {
        // The range we asked to resume from is not there (the file shrank, or all of it had come): start over.
        body.chunks = [];
        body.loaded = 0;
        throw new TransientFailure(`resuming ${url} gave HTTP 416`);
      }
      if (!response.ok) {
        const message = `fetching ${url} gave HTTP ${response.status}`;
        throw isRetryableStatus(response.status) ? new TransientFailure(message) : new PermanentFailure(message);
      }
      const resumed = response.status === 206 && (response.headers.get('content-range') ?? '').startsWith(`bytes ${body.loaded}-`);
      if (!resumed) {
        // A full answer (the server ignores ranges, or the file changed): start over.
        body.chunks = [];
        body.loaded = 0;
        body.total = Number(response.headers.get('content-length')) || this.manifest?.files[file]?.size || 0;
        body.validator = response.headers.get('etag') ?? response.headers.get('last-modified');
      } else {
        this.report.resumed = [...(this.report.resumed ?? []), file];
      }
      if (!response.body) {
        const bytes = new Uint8Array(await response.arrayBuffer());
        body.chunks.push(bytes);
        body.loaded += bytes.byteLength;
        return 'done';
      }
      const reader = response.body.getReader();
      this.progress(file, 'network', body.loaded, body.total);
      try {
        for (;;) {
          armStall();
          const { done, value } = await reader.read();
          if (done) break;
          body.chunks.push(value);
          body.loaded += value.byteLength;
          this.progress(file, 'network', body.loaded, Math.max(body.total, body.loaded));
        }
      } catch (cause) {
        void reader.cancel().catch(() => undefined);
        return failed(cause, `the download of ${url} broke off after ${body.loaded} bytes`);
      }
      return 'done';
    } finally {
      clearTimeout(stallTimer);
      signal?.removeEventListener('abort', onCancel);
    }
  }
}

/** What has arrived of one file so far, kept across tries so a retry can resume. */
interface BodySoFar {
  chunks: Uint8Array[];
  loaded: number;
  total: number;
  /** ETag or Last-Modified of the response the chunks came from (for `If-Range`). */
  validator: string | null;
}

/** A failure another try may fix (network error, cut-off body, stall, 5xx). */
class TransientFailure extends Error {}
/** A failure another try will not fix (404 and other 4xx). */
class PermanentFailure extends Error {}

function joinChunks(chunks: Uint8Array[], length: number): Uint8Array {
  if (chunks.length === 1 && chunks[0]!.byteLength === length) return chunks[0]!;
  const bytes = new Uint8Array(length);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}

/** Waits `ms`; a cancelled load stops waiting at once (`aborted`). */
function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(new GuardError('aborted', 'the model load was cancelled'));
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(new GuardError('aborted', 'the model load was cancelled'));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
