import { describe, expect, it } from 'vitest';
import { DEFAULT_WINDOW, FINE_WINDOW, modelMaxLength, planWindows, splitIntoWindows, textLogits, windowRows, withSpecialTokens } from '../../src/inference/windows.js';

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

describe('planWindows and windowRows', () => {
  const FRAME = [101, 102]; // what a BERT tokenizer makes of '': [CLS] [SEP]

  it('fits the windows and their special tokens into the model, and splits the frame around each window', () => {
    const plan = planWindows(FRAME, modelMaxLength(128, 512));
    expect(plan.prefix).toEqual([101]);
    expect(plan.suffix).toEqual([102]);
    expect(plan.window).toEqual({ tokens: 126, overlap: 32, fine: null });
    // A tokenizer without special tokens (USE-lite) gets the whole 128.
    expect(planWindows([], 128).window.tokens).toBe(128);
  });

  it('has no fine pass by default: a long text is cut into the main windows only', () => {
    expect(DEFAULT_WINDOW.fine).toBeNull();
    const plan = planWindows(FRAME, 128);
    const { rows, mainWindows } = windowRows(range(1000), plan);
    expect(rows.every((r) => r.length === 128 && r[0] === 101 && r.at(-1) === 102)).toBe(true);
    expect(rows).toHaveLength(splitIntoWindows(range(1000), 126, 32).length);
    expect(mainWindows).toBe(rows.length);
  });

  it('adds the fine pass when asked, over long texts only, and drops one no smaller than the main windows', () => {
    const plan = planWindows(FRAME, 128, { ...DEFAULT_WINDOW, fine: FINE_WINDOW });
    expect(windowRows(range(100), plan)).toEqual({ rows: [[101, ...range(100), 102]], mainWindows: 1 });
    const { rows, mainWindows } = windowRows(range(1000), plan);
    const fine = rows.filter((r) => r.length === FINE_WINDOW.tokens + 2);
    expect(fine).toHaveLength(splitIntoWindows(range(1000), 32, 16).length);
    // Main windows come first, the fine pass after them.
    expect(mainWindows).toBe(splitIntoWindows(range(1000), 126, 32).length);
    expect(rows.slice(mainWindows)).toEqual(fine);
    expect(new Set(fine.flatMap((r) => r.slice(1, -1)))).toEqual(new Set(range(1000)));
    expect(planWindows(FRAME, 40, { tokens: 128, overlap: 32, fine: { tokens: 64, overlap: 16 } }).window.fine).toBeNull();
  });
});

describe('textLogits', () => {
  const rows = [Float32Array.of(1, -2), Float32Array.of(3, -4), Float32Array.of(-1, 5)];

  it('takes the highest logit per label over the main windows, with no penalty for one window', () => {
    expect(textLogits(rows, 3)).toEqual([3, 5]);
    expect(textLogits(rows.slice(0, 1), 1, [2, 2])).toEqual([1, -2]);
  });

  it('lowers a long text\'s main-window maximum by penalty · ln(windows), per label', () => {
    const [a, b] = textLogits(rows, 3, [0.5, 0]);
    expect(a).toBeCloseTo(3 - 0.5 * Math.log(3), 12);
    expect(b).toBe(5);
  });

  it('leaves fine-pass rows (after the main windows) unpenalized, and uses them only when higher', () => {
    // Two main windows, one fine row.
    expect(textLogits(rows, 2, [1, 1])).toEqual([Math.max(3 - Math.log(2), -1), 5]);
    expect(textLogits([Float32Array.of(0), Float32Array.of(0), Float32Array.of(-9)], 2, [1])[0]).toBeCloseTo(-Math.log(2), 12);
  });

  it('rejects a text with no main window', () => {
    expect(() => textLogits([], 0)).toThrow(RangeError);
    expect(() => textLogits(rows, 4)).toThrow(RangeError);
  });
});
