import { describe, expect, it } from 'vitest';
import { planRuns, stackTokenRows } from '../../src/inference/token-batch.js';

describe('stackTokenRows', () => {
  it('stacks rows of one length with every position unmasked', () => {
    const batch = stackTokenRows([[101, 7, 102], [101, 8, 102]]);
    expect(batch.dims).toEqual([2, 3]);
    expect(Array.from(batch.inputIds, Number)).toEqual([101, 7, 102, 101, 8, 102]);
    expect(Array.from(batch.attentionMask, Number)).toEqual([1, 1, 1, 1, 1, 1]);
  });

  it('refuses rows of different lengths: padding would move their scores', () => {
    expect(() => stackTokenRows([[101, 7, 102], [101, 102]])).toThrow(/one length/);
  });

  it('gives an empty row one masked position, and refuses an empty batch', () => {
    const batch = stackTokenRows([[], []]);
    expect(batch.dims).toEqual([2, 1]);
    expect(Array.from(batch.attentionMask, Number)).toEqual([0, 0]);
    expect(() => stackTokenRows([])).toThrow(RangeError);
  });
});

describe('planRuns', () => {
  const limits = { maxRows: 32, maxTokens: 32 * 130 };
  const everyIndexOnce = (runs: number[][], n: number) => expect(runs.flat().sort((a, b) => a - b)).toEqual(Array.from({ length: n }, (_, i) => i));
  const oneLengthPerRun = (runs: number[][], lengths: number[]) => {
    for (const run of runs) expect(new Set(run.map((i) => lengths[i])).size).toBe(1);
  };

  it('a long text: its full windows run together, its shorter last window alone', () => {
    const lengths = [...Array(18).fill(130), 77];
    const runs = planRuns(lengths, limits);
    everyIndexOnce(runs, lengths.length);
    expect(runs).toEqual([Array.from({ length: 18 }, (_, i) => i), [18]]);
  });

  it('only rows of one length share a run, in arrival order; runs follow the first arrival of each length', () => {
    const lengths = [12, 40, 12, 11, 40, 12];
    const runs = planRuns(lengths, limits);
    everyIndexOnce(runs, lengths.length);
    oneLengthPerRun(runs, lengths);
    expect(runs).toEqual([[0, 2, 5], [1, 4], [3]]);
    expect(planRuns([], limits)).toEqual([]);
  });

  it('keeps to the row and token limits, and a row too long for the budget runs alone', () => {
    const lengths = [500, 20, 20, 20, 20, 20, 20, 20, 30, 30, 30, 30];
    const runs = planRuns(lengths, { maxRows: 4, maxTokens: 100 });
    everyIndexOnce(runs, lengths.length);
    oneLengthPerRun(runs, lengths);
    expect(runs[0]).toEqual([0]);
    for (const run of runs) {
      expect(run.length).toBeLessThanOrEqual(4);
      if (run.length > 1) expect(run.length * lengths[run[0]!]!).toBeLessThanOrEqual(100);
    }
    expect(runs.map((r) => r.length)).toEqual([1, 4, 3, 3, 1]);
  });
});
