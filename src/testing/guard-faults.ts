import { connectionOf, type Guard } from '../guard.js';

/**
 * Faults a test injects into a running guard, to prove the recovery paths: a crashed worker,
 * a hung model run, a lost WebGPU device. Not exported by the package: test pages import this
 * module directly, so `Guard`'s public type carries no test hooks.
 */

/** Kills the worker as a crash would. */
export function crashWorker(guard: Guard): void {
  connectionOf(guard).crashForTesting();
}

/** Blocks the worker's thread for `ms` (a hung model run). */
export function hangWorker(guard: Guard, ms: number): void {
  void connectionOf(guard).call((remote) => remote.hangForTesting(ms), ms + 60_000).catch(() => undefined);
}

/** Loses the WebGPU device as a driver reset would; resolves whether there was one to lose. */
export function destroyGpuDevice(guard: Guard): Promise<boolean> {
  return connectionOf(guard).call((remote) => remote.destroyGpuDeviceForTesting(), 60_000);
}

/**
 * From now on the guard's llm reviews meet their deadlines only when `expireReviewDeadlines` is
 * called: a test of deadlines and backpressure then does not depend on the machine's speed.
 */
export function useManualReviewClock(guard: Guard): Promise<void> {
  return connectionOf(guard).call((remote) => remote.useManualReviewClockForTesting(), 60_000);
}

/** Passes every waiting review's deadline now; resolves with how many there were. */
export function expireReviewDeadlines(guard: Guard): Promise<number> {
  return connectionOf(guard).call((remote) => remote.expireReviewDeadlinesForTesting(), 60_000);
}

/** Keeps llm reviews waiting (they count against the waiting limit) until `releaseReviews`. */
export function holdReviews(guard: Guard): Promise<void> {
  return connectionOf(guard).call((remote) => remote.holdReviewsForTesting(), 60_000);
}

export function releaseReviews(guard: Guard): Promise<void> {
  return connectionOf(guard).call((remote) => remote.releaseReviewsForTesting(), 60_000);
}

/** Llm reviews waiting or running now. */
export function waitingReviews(guard: Guard): Promise<number> {
  return connectionOf(guard).call((remote) => remote.waitingReviewsForTesting(), 60_000);
}
