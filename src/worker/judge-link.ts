import type { JudgeLoadSpec, JudgeReady } from '../judge/judge-worker-api.js';
import type { LoadProgress } from '../types.js';

/**
 * What `import { judge } from 'guarded-chat/judge'` gives: how to run the guard LLM's worker.
 * The base package holds only these types and never imports that entry (nor transformers.js):
 * a page that wants the judge passes it to `createGuard({ judge })`.
 */
export interface JudgeProvider {
  /** The main thread's side of the judge's worker (src/judge/judge-host.ts). */
  host(target: JudgeLinkTarget, events: JudgeHostEvents): JudgeHostHandle;
}

/** The guard LLM as `guard.judge` reports it. */
export type JudgeStatus =
  | { status: 'loading'; model: string }
  | ({ status: 'ready'; model: string } & JudgeReady)
  | { status: 'failed'; model: string; error: { code: string; message: string } };

/** How the host tells the guard's worker where the judge stands. */
export interface JudgeLinkTarget {
  loading(model: string): Promise<void>;
  failed(model: string, message: string): Promise<void>;
  connect(model: string, port: MessagePort): Promise<void>;
  drop(): Promise<void>;
}

/** What the host reports to the guard, which dispatches it as events. */
export interface JudgeHostEvents {
  progress(progress: LoadProgress): void;
  status(status: JudgeStatus): void;
}

/** The judge's host as the guard drives it. */
export interface JudgeHostHandle {
  readonly status: JudgeStatus | null;
  /** Loads `spec` unless it is the model already loaded (or loading); retries one that failed. Settles when it is ready or has failed. */
  use(spec: JudgeLoadSpec): Promise<void>;
  /** Settles when the load in progress, if any, has ended. */
  settled(): Promise<void>;
  /** Gives the guard's worker (`target`: a replacement one) a new port to the judge. */
  link(target?: JudgeLinkTarget): Promise<void>;
  /** Unloads the model and ends its worker. */
  release(): Promise<void>;
}
