import { proxy, wrap, type Remote } from 'comlink';
import { installGuardErrorTransfer } from './error-transfer.js';
import { GuardError } from './errors.js';
import { DEFAULT_WINDOW } from './inference/windows.js';
import { SHIPPED_MODELS_URL } from './shipped-models.js';
import { resolveModelSource } from './store/model-source.js';
import type { BackendInfo, CacheReport, GuardOptions, LoadProgress, ScreenResult } from './types.js';
import type { GuardWorkerApi, WorkerEvent } from './worker/guard-worker-api.js';

/** Events a Guard dispatches: `progress` (detail: `LoadProgress`), `backendchange` (detail: `BackendInfo`). */
export interface GuardEventMap {
  progress: CustomEvent<LoadProgress>;
  backendchange: CustomEvent<BackendInfo>;
}

/**
 * The main-thread face of the guard. It owns one worker; every screen runs there.
 * Create it with `createGuard`, which resolves once the model is loaded and warmed up.
 */
export class Guard extends EventTarget {
  private disposed = false;
  private currentBackend: BackendInfo;

  /** @internal use `createGuard` */
  constructor(
    private readonly worker: Worker,
    private readonly remote: Remote<GuardWorkerApi>,
    backend: BackendInfo,
    /** The model's labels, in the order scores are reported. */
    readonly labels: readonly string[],
    /** Where this load's files came from (cache or network) and what the cache did. */
    readonly cache: CacheReport,
  ) {
    super();
    this.currentBackend = backend;
  }

  /** Which backend runs the model, and why. Changes if the WebGPU device is lost (see `backendchange`). */
  get backend(): BackendInfo {
    return this.currentBackend;
  }

  /** @internal */
  handleWorkerEvent(event: WorkerEvent): void {
    if (event.type === 'backend') {
      this.currentBackend = event.backend;
      this.dispatchEvent(new CustomEvent('backendchange', { detail: event.backend }));
    }
  }

  /**
   * Scores `text` with the classifier; texts longer than the model's window are screened in
   * overlapping windows, each label taking its highest score. Rejects with a `GuardError`:
   * `invalid-input` when `text` is not a string, `disposed` after `dispose()`,
   * `inference-failed` when the run fails.
   */
  async screen(text: string): Promise<ScreenResult> {
    if (this.disposed) throw new GuardError('disposed', 'this guard was disposed; create a new one');
    if (typeof text !== 'string') {
      throw new GuardError('invalid-input', `screen() takes a string, got ${text === null ? 'null' : typeof text}`);
    }
    return this.remote.screen(text);
  }

  /** How concurrent screens were batched into model runs so far. */
  batchStats(): Promise<{ runs: number; jobs: number; largestRun: number }> {
    return this.remote.batchStats();
  }

  /** @internal Loses the WebGPU device as a driver reset would; for tests of the recovery path. */
  destroyGpuDeviceForTesting(): Promise<boolean> {
    return this.remote.destroyGpuDeviceForTesting();
  }

  /** Frees the model and stops the worker. Later calls reject with `disposed`. */
  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    try {
      await this.remote.dispose();
    } finally {
      this.worker.terminate();
    }
  }
}

/**
 * Starts the guard's worker and loads the model in it: from IndexedDB when stored and intact,
 * else from the network (verified, then stored). Runs on WebGPU or WASM; see `guard.backend`.
 */
export async function createGuard(options: GuardOptions): Promise<Guard> {
  if (!options?.model) throw new GuardError('invalid-input', 'createGuard needs options.model ({ url }, { hub } or { name })');
  installGuardErrorTransfer();
  const pageUrl = globalThis.document?.baseURI ?? globalThis.location?.href;
  const source = resolveModelSource(options.model, pageUrl, SHIPPED_MODELS_URL);
  const { tokens = DEFAULT_WINDOW.tokens, overlap = DEFAULT_WINDOW.overlap } = options.window ?? {};
  if (!Number.isInteger(tokens) || tokens < 8 || !Number.isInteger(overlap) || overlap < 0 || overlap >= tokens) {
    throw new GuardError('invalid-input', `window needs whole numbers with tokens ≥ 8 and 0 ≤ overlap < tokens; got ${JSON.stringify(options.window)}`);
  }
  if (options.signal?.aborted) throw new GuardError('aborted', 'the model load was cancelled');

  let worker: Worker;
  try {
    worker = new Worker(new URL('./worker/guard.worker.ts', import.meta.url), { type: 'module', name: 'guarded-chat' });
  } catch (cause) {
    throw new GuardError('worker-failed', 'the guard worker could not be started', { cause });
  }
  const remote = wrap<GuardWorkerApi>(worker);
  // A worker that fails to load its script never answers: turn that into a typed rejection.
  const crashed = new Promise<never>((_, reject) => {
    worker.addEventListener('error', (event) => {
      reject(new GuardError('worker-failed', `the guard worker failed: ${event.message || 'script error'}`));
    }, { once: true });
  });
  const onAbort = () => void remote.cancelInit();
  options.signal?.addEventListener('abort', onAbort, { once: true });
  let guard: Guard | null = null;
  const early: WorkerEvent[] = [];
  const onEvent = proxy((event: WorkerEvent) => {
    if (event.type === 'progress') options.onProgress?.(event.progress);
    if (guard) guard.handleWorkerEvent(event);
    else early.push(event);
  });
  const cache = options.cache ?? true;
  try {
    const ready = await Promise.race([
      remote.init({ source, dtype: options.model.dtype ?? 'auto', backend: options.backend ?? 'auto', cache, window: { tokens, overlap } }, onEvent),
      crashed,
    ]);
    guard = new Guard(worker, remote, ready.backend, ready.labels, ready.cache);
    for (const event of early) if (event.type === 'backend') guard.handleWorkerEvent(event);
    // Ask the browser not to evict the weights under storage pressure (Window-only API).
    if (cache && ready.cache.fromNetwork.length > 0) void globalThis.navigator?.storage?.persist?.().catch(() => false);
    return guard;
  } catch (error) {
    worker.terminate();
    throw error;
  } finally {
    options.signal?.removeEventListener('abort', onAbort);
  }
}
