import { proxy, wrap, type Remote } from 'comlink';
import { GuardError } from '../errors.js';
import type { EngineInit } from '../inference/engine.js';
import type { GuardWorkerApi, WorkerEvent, WorkerReady } from './guard-worker-api.js';

/** How to (re)start the guard's worker. */
export interface ConnectionOptions {
  init: EngineInit;
  onEvent: (event: WorkerEvent) => void;
  /** Told when the worker was lost and is being replaced. */
  onRestart?: (info: { reason: string; attempt: number }) => void;
  /**
   * Told once a replacement worker has loaded, before calls waiting for it go on: what it
   * does with `remote` (direct calls, no deadline) is done before the next screen.
   */
  onRestarted?: (remote: Remote<GuardWorkerApi>) => Promise<void>;
  signal?: AbortSignal;
}

const RESTART_ATTEMPTS = 4;
const RESTART_BACKOFF_MS = 250;

function spawn(): Worker {
  try {
    return new Worker(new URL('./guard.worker.ts', import.meta.url), { type: 'module', name: 'guarded-chat' });
  } catch (cause) {
    throw new GuardError('worker-failed', 'the guard worker could not be started', { cause });
  }
}

/** Starts one worker and loads the model in it; rejects typed if the worker dies on the way. */
async function startWorker(options: ConnectionOptions): Promise<{ worker: Worker; remote: Remote<GuardWorkerApi>; ready: WorkerReady }> {
  const worker = spawn();
  const remote = wrap<GuardWorkerApi>(worker);
  // A worker that fails to load its script never answers: turn that into a typed rejection.
  const crashed = new Promise<never>((_, reject) => {
    worker.addEventListener('error', (event) => {
      reject(new GuardError('worker-failed', `the guard worker failed: ${event.message || 'script error'}`));
    }, { once: true });
  });
  const onAbort = () => void remote.cancelInit();
  options.signal?.addEventListener('abort', onAbort, { once: true });
  try {
    const ready = await Promise.race([remote.init(options.init, proxy(options.onEvent)), crashed]);
    return { worker, remote, ready };
  } catch (error) {
    worker.terminate();
    throw error;
  } finally {
    options.signal?.removeEventListener('abort', onAbort);
  }
}

/**
 * The guard's worker, kept alive: every call has a deadline; a call that passes it, or a worker
 * that is lost, rejects the calls in flight (`timeout`, `worker-failed`) and brings up a new
 * worker with backoff (the model comes back from IndexedDB). Calls made meanwhile wait for it.
 */
export class WorkerConnection {
  private inFlight = new Set<(error: GuardError) => void>();
  private restarting: Promise<void> | null = null;
  private closed = false;
  /** Workers started after the first. */
  restarts = 0;

  private constructor(
    private worker: Worker,
    private remote: Remote<GuardWorkerApi>,
    private readonly options: ConnectionOptions,
  ) {}

  static async start(options: ConnectionOptions): Promise<{ connection: WorkerConnection; ready: WorkerReady }> {
    const { worker, remote, ready } = await startWorker(options);
    return { connection: new WorkerConnection(worker, remote, options), ready };
  }

  /** Runs `fn` against the worker within `timeoutMs`. */
  async call<T>(fn: (remote: Remote<GuardWorkerApi>) => Promise<T>, timeoutMs: number): Promise<T> {
    if (this.restarting) await this.restarting;
    if (this.closed) throw new GuardError('disposed', 'this guard was disposed; create a new one');
    return new Promise<T>((resolve, reject) => {
      const settle = () => {
        clearTimeout(timer);
        this.inFlight.delete(fail);
      };
      const fail = (error: GuardError) => {
        settle();
        reject(error);
      };
      const timer = setTimeout(() => {
        fail(new GuardError('timeout', `the guard did not answer within ${timeoutMs} ms`));
        this.lose(`a call passed its ${timeoutMs} ms deadline`);
      }, timeoutMs);
      this.inFlight.add(fail);
      fn(this.remote).then((value) => {
        settle();
        resolve(value);
      }, (error: unknown) => {
        settle();
        reject(error);
      });
    });
  }

  /** Declares the worker lost: in-flight calls reject with `worker-failed`, a new worker starts. */
  lose(reason: string): void {
    if (this.closed || this.restarting) return;
    this.worker.terminate();
    for (const fail of [...this.inFlight]) fail(new GuardError('worker-failed', `the guard worker was lost (${reason})`));
    this.restarting = this.restart(reason).finally(() => {
      this.restarting = null;
    });
    this.restarting.catch(() => undefined); // callers see the failure; an idle guard need not
  }

  private async restart(reason: string): Promise<void> {
    let lastError: unknown;
    for (let attempt = 1; attempt <= RESTART_ATTEMPTS && !this.closed; attempt++) {
      this.options.onRestart?.({ reason, attempt });
      try {
        const { worker, remote } = await startWorker({ ...this.options, init: { ...this.options.init } });
        if (this.closed) {
          worker.terminate();
          return;
        }
        this.worker = worker;
        this.remote = remote;
        this.restarts += 1;
        await this.options.onRestarted?.(remote).catch(() => undefined);
        return;
      } catch (error) {
        lastError = error;
        await new Promise((resolve) => setTimeout(resolve, RESTART_BACKOFF_MS * 2 ** (attempt - 1)));
      }
    }
    this.closed = true;
    throw new GuardError('worker-failed', `the guard worker could not be restarted after ${RESTART_ATTEMPTS} tries`, { cause: lastError });
  }

  /** For tests of the recovery path: kills the worker the way a crash would. */
  crashForTesting(): void {
    this.lose('terminated for a test');
  }

  async close(): Promise<void> {
    if (this.closed) return;
    if (this.restarting) await this.restarting.catch(() => undefined);
    this.closed = true;
    try {
      await Promise.race([this.remote.dispose(), new Promise((resolve) => setTimeout(resolve, 2000))]);
    } finally {
      this.worker.terminate();
    }
  }
}
