import { describe, expect, it } from 'vitest';
import { rocAuc } from '../../test/eval/metrics.js';
import { areaUnder, rocPoints, thinCurve } from '../../test/eval/roc.js';

describe('rocPoints', () => {
  it('walks from nothing flagged to everything flagged, one point per distinct score', () => {
    const points = rocPoints([0.9, 0.8, 0.3], [0.7, 0.2]);
    expect(points.map((p) => [p.threshold, p.fpr, p.tpr])).toEqual([
      [Number.POSITIVE_INFINITY, 0, 0],
      [0.9, 0, 1 / 3],
      [0.8, 0, 2 / 3],
      [0.7, 0.5, 2 / 3],
      [0.3, 0.5, 1],
      [0.2, 1, 1],
    ]);
  });

  it('makes tied scores one diagonal step', () => {
    const points = rocPoints([0.5, 0.5], [0.5, 0.1]);
    expect(points.map((p) => [p.fpr, p.tpr])).toEqual([[0, 0], [0.5, 1], [1, 1]]);
  });

  it('has the same area as the rank-based ROC-AUC, ties included', () => {
    const positives = [0.91, 0.4, 0.4, 0.77, 0.2, 0.66, 0.05];
    const negatives = [0.1, 0.4, 0.3, 0.05, 0.5, 0.02];
    expect(areaUnder(rocPoints(positives, negatives))).toBeCloseTo(rocAuc(positives, negatives), 12);
  });

  it('is empty without positives or negatives', () => {
    expect(rocPoints([], [0.1])).toEqual([]);
    expect(rocPoints([0.1], [])).toEqual([]);
  });
});

describe('thinCurve', () => {
  it('keeps short curves whole and long ones to the limit, ends included', () => {
    const long = rocPoints(Array.from({ length: 500 }, (_, i) => i / 500 + 0.001), Array.from({ length: 500 }, (_, i) => i / 500));
    expect(thinCurve(long.slice(0, 10), 50)).toEqual(long.slice(0, 10));
    const thin = thinCurve(long, 50);
    expect(thin).toHaveLength(50);
    expect(thin[0]).toEqual(long[0]);
    expect(thin.at(-1)).toEqual(long.at(-1));
  });
});
