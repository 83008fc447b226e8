import { wrap, type Remote } from 'comlink';
import { installGuardErrorTransfer } from './error-transfer.js';
import { GuardError } from './errors.js';
import type { BackendInfo, GuardOptions, ScreenResult } from './types.js';
import type { GuardWorkerApi } from './worker/guard-worker-api.js';

/**
 * The main-thread face of the guard. It owns one worker; every screen runs there.
 * Create it with `createGuard`, which resolves once the model is loaded and warmed up.
 */
export class Guard {
  private disposed = false;

  /** @internal use `createGuard` */
  constructor(
    private readonly worker: Worker,
    private readonly remote: Remote<GuardWorkerApi>,
    /** Which backend runs the model, and why. */
    readonly backend: BackendInfo,
    /** The model's labels, in the order scores are reported. */
    readonly labels: readonly string[],
  ) {}

  /**
   * Scores `text` with the classifier. Rejects with a `GuardError`: `invalid-input` when
   * `text` is not a string, `disposed` after `dispose()`, `inference-failed` when the run fails.
   */
  async screen(text: string): Promise<ScreenResult> {
    if (this.disposed) throw new GuardError('disposed', 'this guard was disposed; create a new one');
    if (typeof text !== 'string') {
      throw new GuardError('invalid-input', `screen() takes a string, got ${text === null ? 'null' : typeof text}`);
    }
    return this.remote.screen(text);
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

/** Starts the guard's worker and loads the model in it (on WebGPU or WASM; see `guard.backend`). */
export async function createGuard(options: GuardOptions): Promise<Guard> {
  if (!options?.model?.url) throw new GuardError('invalid-input', 'createGuard needs options.model.url');
  installGuardErrorTransfer();
  const modelUrl = new URL(options.model.url, globalThis.document?.baseURI ?? globalThis.location?.href).href;

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
  try {
    const { backend, labels } = await Promise.race([
      remote.init({ modelUrl, dtype: options.model.dtype ?? 'auto', backend: options.backend ?? 'auto' }),
      crashed,
    ]);
    return new Guard(worker, remote, backend, labels);
  } catch (error) {
    worker.terminate();
    throw error;
  }
}
