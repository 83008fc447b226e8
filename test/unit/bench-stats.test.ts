import { describe, expect, it } from 'vitest';
import { overhead, percentile, ratio, summarize } from '../../test/bench/stats.js';

describe('bench statistics', () => {
  it('nearest-rank percentiles', () => {
    const ms = Array.from({ length: 100 }, (_, i) => i + 1); // 1…100
    expect(percentile(ms, 50)).toBe(50);
    expect(percentile(ms, 95)).toBe(95);
    expect(percentile(ms, 99)).toBe(99);
    expect(percentile([7], 99)).toBe(7);
    expect(percentile([3, 1, 2], 50)).toBe(2);
    expect(percentile([], 50)).toBeNaN();
  });

  it('summaries, overheads and ratios', () => {
    expect(summarize([4, 2, 6])).toEqual({ n: 3, p50: 4, p95: 6, p99: 6, mean: 4 });
    expect(overhead(11, 10)).toBe('+10%');
    expect(overhead(9, 10)).toBe('−10%');
    expect(overhead(1, 0)).toBe('n/a');
    expect(ratio(30, 10)).toBe('3.00×');
    expect(ratio(250, 2)).toBe('125×');
  });
});
