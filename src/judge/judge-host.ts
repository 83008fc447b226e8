import { proxy, transfer, wrap, type Remote } from 'comlink';
import type { JudgeHostEvents, JudgeHostHandle, JudgeLinkTarget, JudgeStatus } from '../worker/judge-link.js';
import type { LoadProgress } from '../types.js';
import type { JudgeLoadSpec, JudgeWorkerApi } from './judge-worker-api.js';

/** A failure as `guard.judge` reports it: a GuardError's code where there is one. */
function failure(error: unknown): { code: string; message: string } {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  return {
    code: typeof code === 'string' ? code : 'model-load-failed',
    message: typeof message === 'string' ? message : String(error),
  };
}

/**
 * The main thread's side of the judge: it owns the judge's worker (one model at a time), loads
 * the model there, and hands the guard's worker a port to it. Switching the llm review off, or
 * to another model, unloads the model and ends its worker, so its memory goes back.
 */
export class JudgeHost implements JudgeHostHandle {
  private worker: Worker | null = null;
  private remote: Remote<JudgeWorkerApi> | null = null;
  private key: string | null = null;
  private current: JudgeStatus | null = null;
  private loading: Promise<void> | null = null;

  constructor(
    private readonly createWorker: () => Worker,
    private readonly target: JudgeLinkTarget,
    private readonly events: JudgeHostEvents,
  ) {}

  get status(): JudgeStatus | null {
    return this.current;
  }

  /**
   * Loads `spec` unless it is the model already loaded (or loading); a load that failed is tried
   * again. Resolves when it is ready or has failed.
   */
  use(spec: JudgeLoadSpec): Promise<void> {
    const key = JSON.stringify([spec.source.id, spec.source.revision, spec.family, spec.dtype, spec.device, spec.source.sha256]);
    if (key === this.key && this.loading && this.current?.status !== 'failed') return this.loading;
    void this.release();
    this.key = key;
    const model = spec.hubId;
    this.setStatus({ status: 'loading', model });
    let worker: Worker;
    try {
      worker = this.createWorker();
    } catch (error) {
      return (this.loading = this.fail(key, model, { code: 'worker-failed', message: `the judge worker could not be started: ${failure(error).message}` }));
    }
    this.worker = worker;
    const remote = wrap<JudgeWorkerApi>(worker);
    this.remote = remote;
    const crashed = new Promise<never>((_, reject) => {
      worker.addEventListener('error', (event) => reject({ code: 'worker-failed', message: `the judge worker failed: ${event.message || 'script error'}` }), { once: true });
    });
    this.loading = (async () => {
      try {
        await this.target.loading(model);
        const ready = await Promise.race([remote.load(spec, proxy((progress: LoadProgress) => this.events.progress(progress))), crashed]);
        if (this.key !== key) return;
        this.setStatus({ status: 'ready', model, ...ready });
        await this.link();
      } catch (error) {
        await this.fail(key, model, failure(error));
      }
    })();
    return this.loading;
  }

  /** Resolves when the load in progress (if any) has ended. */
  settled(): Promise<void> {
    return this.loading ?? Promise.resolve();
  }

  /** Gives the guard's worker (`target`: a replacement one) a new port to the judge. */
  async link(target: JudgeLinkTarget = this.target): Promise<void> {
    const current = this.current;
    if (!current) return target.drop();
    if (current.status === 'loading') return target.loading(current.model);
    if (current.status === 'failed') return target.failed(current.model, current.error.message);
    if (!this.remote) return;
    const channel = new MessageChannel();
    await this.remote.connect(transfer(channel.port1, [channel.port1]));
    await target.connect(current.model, transfer(channel.port2, [channel.port2]));
  }

  private async fail(key: string, model: string, error: { code: string; message: string }): Promise<void> {
    if (this.key !== key) return;
    this.setStatus({ status: 'failed', model, error });
    this.endWorker();
    await this.target.failed(model, error.message).catch(() => undefined);
  }

  private setStatus(status: JudgeStatus): void {
    this.current = status;
    this.events.status(status);
  }

  private endWorker(): void {
    const { worker, remote } = this;
    this.worker = null;
    this.remote = null;
    if (!worker) return;
    // Free the model's sessions first (WebGPU buffers go with them), then end the worker.
    void Promise.race([remote?.unload(), new Promise((resolve) => setTimeout(resolve, 2000))])
      .catch(() => undefined)
      .finally(() => worker.terminate());
  }

  /** Unloads the model and ends its worker; the guard's worker stops asking for reviews. */
  async release(): Promise<void> {
    const had = this.key !== null;
    this.key = null;
    this.loading = null;
    this.current = null;
    this.endWorker();
    if (had) await this.target.drop().catch(() => undefined);
  }
}
