import { GuardError } from '../errors.js';

/**
 * How a model file's download is retried when the network fails it. Plain data: it crosses the
 * worker boundary inside the engine's init.
 */
export interface DownloadRetryOptions {
  /** Tries per file, the first included (default 4; 1 turns retrying off). */
  attempts?: number;
  /** Delay before the second try; each later one doubles it (default 500 ms). */
  baseDelayMs?: number;
  /** No delay grows past this (default 8,000 ms). */
  maxDelayMs?: number;
  /**
   * A response that sends no bytes for this long is given up on and tried again, resuming
   * where it stopped (default 30,000 ms): a stalled server cannot hang the load.
   */
  stallTimeoutMs?: number;
}

/** Every field of `DownloadRetryOptions`, filled in. */
export type DownloadRetry = Required<DownloadRetryOptions>;

export const DEFAULT_DOWNLOAD_RETRY: DownloadRetry = { attempts: 4, baseDelayMs: 500, maxDelayMs: 8_000, stallTimeoutMs: 30_000 };

/** Fills in the defaults and rejects nonsense (`invalid-input`), before any worker starts. */
export function checkDownloadRetry(options: DownloadRetryOptions = {}): DownloadRetry {
  const retry = { ...DEFAULT_DOWNLOAD_RETRY, ...options };
  if (!Number.isInteger(retry.attempts) || retry.attempts < 1) {
    throw new GuardError('invalid-input', `download.attempts must be a whole number ≥ 1; got ${retry.attempts}`);
  }
  for (const key of ['baseDelayMs', 'maxDelayMs', 'stallTimeoutMs'] as const) {
    if (!(retry[key] >= 0) || !Number.isFinite(retry[key])) {
      throw new GuardError('invalid-input', `download.${key} must be a finite number of milliseconds ≥ 0; got ${retry[key]}`);
    }
  }
  return retry;
}

/**
 * The wait before try number `attempt + 1` (after `attempt` failures): exponential backoff
 * capped at `maxDelayMs`, with "equal jitter" (half fixed, half random) so that many pages
 * failing together do not all retry in the same instant.
 */
export function retryDelayMs(attempt: number, retry: Pick<DownloadRetry, 'baseDelayMs' | 'maxDelayMs'>, random: () => number = Math.random): number {
  const ceiling = Math.min(retry.maxDelayMs, retry.baseDelayMs * 2 ** (attempt - 1));
  return ceiling / 2 + random() * (ceiling / 2);
}

/**
 * Whether an HTTP status is worth another try. Server trouble (5xx), a timeout (408) and rate
 * limiting (429) may pass; any other 4xx (404 above all) will answer the same again, so it
 * fails at once.
 */
export function isRetryableStatus(status: number): boolean {
  return status >= 500 || status === 408 || status === 429;
}
