import { describe, expect, it } from 'vitest';
import { padTokenBatch } from '../../src/inference/token-batch.js';

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

