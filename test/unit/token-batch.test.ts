import { describe, expect, it } from 'vitest';
import { padTokenBatch, planRuns } from '../../src/inference/token-batch.js';

describe('padTokenBatch', () => {
  it('right-pads rows to the longest and masks the padding', () => {
    const batch = padTokenBatch([[101, 7, 102], [101, 102]], 0);
    expect(batch.dims).toEqual([2, 3]);
    expect(Array.from(batch.inputIds, Number)).toEqual([101, 7, 102, 101, 102, 0]);
    expect(Array.from(batch.attentionMask, Number)).toEqual([1, 1, 1, 1, 1, 0]);
  });

  it('refuses an empty batch', () => {
    expect(() => padTokenBatch([], 0)).toThrow(RangeError);
  });
});


describe('planRuns', () => {
  const limits = { maxRows: 32, maxTokens: 32 * 130 };
  const everyIndexOnce = (runs: number[][], n: number) => expect(runs.flat().sort((a, b) => a - b)).toEqual(Array.from({ length: n }, (_, i) => i));

  it('a long text: its 128-token windows run together, its fine windows apart, none padded to the other', () => {
    // 18 coarse windows (130 with special tokens) then 104 fine ones (34), as encode() gives them.
    const lengths = [...Array(18).fill(130), ...Array(104).fill(34)];
    const runs = planRuns(lengths, limits);
    everyIndexOnce(runs, lengths.length);
    expect(runs[0]).toEqual(Array.from({ length: 18 }, (_, i) => i));
    for (const run of runs.slice(1)) expect(run.every((i) => lengths[i] === 34)).toBe(true);
    expect(runs.map((r) => r.length)).toEqual([18, 32, 32, 32, 8]);
    const padded = runs.reduce((sum, run) => sum + run.length * Math.max(...run.map((i) => lengths[i]!)), 0);
    expect(padded).toBe(18 * 130 + 104 * 34); // no padding at all here
  });

  it('keeps to the row and token limits, and a row too long for the budget runs alone', () => {
    const lengths = [500, 20, 19, 18, 17, 16, 15];
    const runs = planRuns(lengths, { maxRows: 3, maxTokens: 100 });
    everyIndexOnce(runs, lengths.length);
    expect(runs[0]).toEqual([0]);
    for (const run of runs) {
      expect(run.length).toBeLessThanOrEqual(3);
      if (run.length > 1) expect(run.length * Math.max(...run.map((i) => lengths[i]!))).toBeLessThanOrEqual(100);
    }
  });

  it('rows of similar length share runs in arrival order; an empty list plans nothing', () => {
    expect(planRuns([12, 12, 11, 12], limits)).toEqual([[0, 1, 3, 2]]);
    expect(planRuns([40, 21, 19], limits)).toEqual([[0, 1], [2]]);
    expect(planRuns([], limits)).toEqual([]);
  });
});
