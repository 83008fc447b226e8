import { describe, expect, it } from 'vitest';
import { labelMetrics, rocAuc, thresholdAtFpr } from '../eval/metrics.js';

describe('rocAuc', () => {
  it('is 1 for perfect separation, 0.5 for identical scores, 0 for inverted', () => {
    expect(rocAuc([0.9, 0.8], [0.1, 0.2])).toBe(1);
    expect(rocAuc([0.5, 0.5], [0.5, 0.5])).toBe(0.5);
    expect(rocAuc([0.1], [0.9])).toBe(0);
  });

  it('counts pairs, with ties as half', () => {
    // pairs: (0.8>0.3)=1, (0.8>0.6)=1, (0.4>0.3)=1, (0.4<0.6)=0, → 3/4
    expect(rocAuc([0.8, 0.4], [0.3, 0.6])).toBe(0.75);
    expect(rocAuc([0.5], [0.5, 0.1])).toBe(0.75);
  });
});

describe('thresholdAtFpr', () => {
  it('allows at most the given share of negatives at or above it', () => {
    const negatives = Array.from({ length: 200 }, (_, i) => i / 200);
    const t = thresholdAtFpr(negatives, 0.01);
    expect(negatives.filter((s) => s >= t).length).toBe(2);
  });

  it('sits above the highest negative when no false positive is allowed', () => {
    const t = thresholdAtFpr([0.2, 0.7, 0.4], 0.01);
    expect(t).toBeGreaterThan(0.7);
    expect(t).toBeLessThan(0.7001);
  });
});

describe('labelMetrics', () => {
  it('computes precision, recall, F1 and benign FPR at the threshold', () => {
    const m = labelMetrics('injection', [0.9, 0.8, 0.3, 0.6], [0.1, 0.7, 0.2, 0.05], 0.5);
    expect(m.count).toBe(4);
    expect(m.recall).toBe(0.75);
    expect(m.precision).toBe(0.75);
    expect(m.f1).toBeCloseTo(0.75, 12);
    expect(m.benignFpr).toBe(0.25);
  });
});
