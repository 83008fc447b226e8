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
