import { GuardError } from '../errors.js';
import type { JudgeRequest } from '../judge/adapters/adapter.js';
import type { JudgeAnswer } from '../judge/judge-worker-api.js';
import type { JudgeOutcome } from '../screen/judge-review.js';
import type { LlmReviewer } from '../screen/pipeline.js';

/** How many reviews may wait (the one running included) before more get `judge-busy`. */
export const DEFAULT_MAX_WAITING_REVIEWS = 8;

/** When a review's deadline passes: the real timer, or (tests) only when the test says. */
export interface ReviewClock {
  /** Calls `expire` once `ms` have passed; the function returned cancels that. */
  after(ms: number, expire: () => void): () => void;
}

/** Deadlines by `setTimeout`. */
export const TIMER_CLOCK: ReviewClock = {
  after(ms, expire) {
    const timer = setTimeout(expire, ms);
    return () => clearTimeout(timer);
  },
};

/**
 * A clock a test owns: deadlines pass when it calls `expireAll()`, never by themselves, so no
 * assertion rests on how fast the machine runs the judge.
 */
export class ManualReviewClock implements ReviewClock {
  private readonly pending = new Set<() => void>();

  after(_ms: number, expire: () => void): () => void {
    this.pending.add(expire);
    return () => this.pending.delete(expire);
  }

  /** Passes every deadline now; returns how many there were. */
  expireAll(): number {
    const due = [...this.pending];
    this.pending.clear();
    for (const expire of due) expire();
    return due.length;
  }
}

/**
 * What a test may hold in the guard worker's judge path: the clock of the deadlines, and a gate
 * that keeps reviews waiting (counted against `maxWaiting`) before they reach the judge's worker.
 */
export interface ReviewControl {
  clock: ReviewClock;
  /** While set, reviews wait on it before being sent. */
  gate: Promise<void> | null;
}

/** The judge worker's review calls, as seen through its port. */
export interface JudgeRemote {
  review(id: number, request: JudgeRequest): Promise<JudgeAnswer>;
  cancel(id: number): Promise<void> | void;
}

/** Where the guard LLM stands, as the page's guard told this worker. */
export type JudgeLink =
  | { status: 'loading'; model: string }
  | { status: 'failed'; model: string; message: string }
  | { status: 'ready'; model: string; remote: JudgeRemote };

/**
 * The guard worker's side of the judge: reviews go one at a time to the judge's worker (it runs
 * them in order), at most `maxWaiting` at once; each has a deadline, past which it is cancelled
 * (between tokens) and the pipeline keeps the classifier's decision with a note; so is one whose
 * screen the page cancelled. It never rejects: every failure becomes a note on the verdict.
 */
export class JudgeClient implements LlmReviewer {
  readonly kind = 'llm' as const;
  private nextId = 1;
  private waiting = 0;
  /** Reviews waiting or running, by the screen they belong to: how `cancelScreen` finds them. */
  private readonly byScreen = new Map<number, () => void>();

  constructor(
    private readonly link: JudgeLink,
    private readonly maxWaiting = DEFAULT_MAX_WAITING_REVIEWS,
    private readonly control: ReviewControl = { clock: TIMER_CLOCK, gate: null },
  ) {}

  get id(): string {
    return this.link.model;
  }

  /** Reviews waiting or running now. */
  get waitingReviews(): number {
    return this.waiting;
  }

  /** Cancels the review of screen `screen`, if it has one waiting or running. */
  cancelScreen(screen: number): void {
    this.byScreen.get(screen)?.();
  }

  async judge(request: JudgeRequest, timeoutMs: number, screen?: number): Promise<JudgeOutcome> {
    const link = this.link;
    if (link.status === 'loading') return { note: 'judge-loading', message: `${link.model} is still loading` };
    if (link.status === 'failed') return { note: 'judge-unavailable', message: link.message };
    if (this.waiting >= this.maxWaiting) return { note: 'judge-busy', message: `${this.waiting} reviews are already waiting` };
    const id = this.nextId++;
    this.waiting += 1;
    let stopClock = () => undefined as unknown;
    const stopped = new Promise<'timeout' | 'cancelled'>((resolve) => {
      stopClock = this.control.clock.after(timeoutMs, () => resolve('timeout'));
      if (screen !== undefined) this.byScreen.set(screen, () => resolve('cancelled'));
    });
    const gate = this.control.gate;
    try {
      const held = gate ? await Promise.race([gate.then(() => null), stopped]) : null;
      const answer = held ?? await Promise.race([link.remote.review(id, request), stopped]);
      if (answer === 'timeout' || answer === 'cancelled') {
        // The judge's worker stops it between tokens, or skips it if it has not started.
        void Promise.resolve(link.remote.cancel(id)).catch(() => undefined);
        return answer === 'timeout'
          ? { note: 'judge-timeout', message: `no verdict within ${timeoutMs} ms` }
          : { note: 'judge-cancelled', message: 'the screen was cancelled' };
      }
      return {
        reading: {
          family: answer.family,
          verdict: answer.decision.verdict,
          categories: answer.decision.categories,
          covers: answer.covers,
          outputs: answer.outputs,
          firstTokenMs: answer.firstTokenMs,
          totalMs: answer.totalMs,
        },
      };
    } catch (error) {
      const message = error instanceof GuardError || error instanceof Error ? error.message : String(error);
      return { note: 'judge-failed', message };
    } finally {
      stopClock();
      if (screen !== undefined) this.byScreen.delete(screen);
      this.waiting -= 1;
    }
  }
}
