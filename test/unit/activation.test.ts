import { describe, expect, it } from 'vitest';
import { sigmoid, softmax } from '../../src/inference/activation.js';

describe('sigmoid', () => {
  it('maps logits to independent probabilities', () => {
    const [a, b, c] = sigmoid([0, 2, -2]);
    expect(a).toBeCloseTo(0.5, 12);
    expect(b).toBeCloseTo(0.8807970779778823, 12);
    expect(b! + c!).toBeCloseTo(1, 12);
  });

  it('saturates without NaN at extreme logits', () => {
    expect(sigmoid([1000, -1000])).toEqual([1, 0]);
  });
});

describe('softmax', () => {
  it('sums to one and keeps order', () => {
    const p = softmax([1, 2, 3]);
    expect(p.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    expect(p[2]).toBeGreaterThan(p[1]!);
    expect(p[0]).toBeCloseTo(0.09003057317038046, 12);
  });

  it('is stable for large logits', () => {
    const p = softmax([1000, 1000]);
    expect(p).toEqual([0.5, 0.5]);
  });
});
