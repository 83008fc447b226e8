import { describe, expect, it } from 'vitest';
import { padTokenBatch, truncateWithSpecialTokens } from '../../src/inference/token-batch.js';

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

describe('truncateWithSpecialTokens', () => {
  it('leaves short sequences alone', () => {
    expect(truncateWithSpecialTokens([101, 5, 102], 8)).toEqual({ ids: [101, 5, 102], truncated: false });
  });

  it('cuts to the window and keeps the closing [SEP]', () => {
    expect(truncateWithSpecialTokens([101, 1, 2, 3, 4, 102], 4)).toEqual({ ids: [101, 1, 2, 102], truncated: true });
  });
});
