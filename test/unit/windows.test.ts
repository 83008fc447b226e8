import { describe, expect, it } from 'vitest';
import { splitIntoWindows, withSpecialTokens } from '../../src/inference/windows.js';

const range = (n: number) => Array.from({ length: n }, (_, i) => i);

describe('splitIntoWindows', () => {
  it('keeps a text that fits in one window', () => {
    expect(splitIntoWindows(range(5), 8, 2)).toEqual([range(5)]);
    expect(splitIntoWindows([], 8, 2)).toEqual([[]]);
  });

  it('overlaps consecutive windows by the stated number of tokens', () => {
    const windows = splitIntoWindows(range(20), 8, 3);
    for (let i = 1; i < windows.length; i++) {
      const previous = windows[i - 1]!;
      const shared = previous.filter((t) => windows[i]!.includes(t));
      expect(shared.length).toBeGreaterThanOrEqual(3);
    }
  });

  it('covers every token and ends exactly at the last one', () => {
    const ids = range(1000);
    const windows = splitIntoWindows(ids, 510, 64);
    expect(new Set(windows.flat())).toEqual(new Set(ids));
    expect(windows.at(-1)!.at(-1)).toBe(999);
    expect(windows.every((w) => w.length === 510)).toBe(true);
  });

  it('rejects an overlap as large as the window', () => {
    expect(() => splitIntoWindows(range(10), 4, 4)).toThrow(RangeError);
  });
});

describe('withSpecialTokens', () => {
  it('frames a window', () => {
    expect(withSpecialTokens([5, 6], [101], [102])).toEqual([101, 5, 6, 102]);
  });
});
