import { describe, expect, it } from 'vitest';
import { GuardError } from '../../src/errors.js';
import { checkDownloadRetry, DEFAULT_DOWNLOAD_RETRY, isRetryableStatus, retryDelayMs } from '../../src/store/download-retry.js';

describe('download retries', () => {
  it('back off exponentially, capped, with half of each delay random (equal jitter)', () => {
    const retry = { baseDelayMs: 500, maxDelayMs: 8_000 };
    expect([1, 2, 3, 4, 5, 6].map((n) => retryDelayMs(n, retry, () => 0))).toEqual([250, 500, 1000, 2000, 4000, 4000]);
    expect([1, 2, 3, 4, 5, 6].map((n) => retryDelayMs(n, retry, () => 1))).toEqual([500, 1000, 2000, 4000, 8000, 8000]);
    expect(retryDelayMs(2, retry, () => 0.5)).toBe(750);
  });

  it('retry server trouble, timeouts and rate limits; never a 404 or another 4xx', () => {
    expect([500, 502, 503, 504, 408, 429].map(isRetryableStatus)).toEqual([true, true, true, true, true, true]);
    expect([400, 401, 403, 404, 410, 416].map(isRetryableStatus)).toEqual([false, false, false, false, false, false]);
  });

  it('fill in defaults and refuse nonsense with invalid-input', () => {
    expect(checkDownloadRetry()).toEqual(DEFAULT_DOWNLOAD_RETRY);
    expect(checkDownloadRetry({ attempts: 1 })).toEqual({ ...DEFAULT_DOWNLOAD_RETRY, attempts: 1 });
    for (const bad of [{ attempts: 0 }, { attempts: 1.5 }, { baseDelayMs: -1 }, { stallTimeoutMs: Number.NaN }, { maxDelayMs: Infinity }]) {
      expect(() => checkDownloadRetry(bad)).toThrow(GuardError);
    }
  });
});
