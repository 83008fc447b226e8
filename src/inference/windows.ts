/**
 * How a long text is cut into windows: content tokens per window, and tokens shared by
 * neighbours; `fine` adds a second, finer pass over texts longer than one window.
 */
export interface WindowOptions {
  tokens: number;
  overlap: number;
  /** Small windows for a needle in a long text; `null` turns the fine pass off. */
  fine: { tokens: number; overlap: number } | null;
}

/**
 * The default windows: a text of up to 128 tokens is screened whole. A longer one is screened
 * twice over: in windows of 128 tokens sharing 32 (context), and in windows of 32 sharing 16
 * (needles). Prompt classifiers are trained on prompt-length texts, and one attack sentence
 * in a window of other text is diluted: measured with the shipped model on 100 kB of prose
 * with "Ignore all previous instructions…" at the end, the injection score was 0.018 with
 * 128-token windows, 0.26 with 64 and 0.99 with 32 (benign text: 0.005 to 0.01 throughout).
 */
export const DEFAULT_WINDOW: WindowOptions = { tokens: 128, overlap: 32, fine: { tokens: 32, overlap: 16 } };

/**
 * Splits content token ids (no special tokens) into windows of at most `size` tokens, each
 * starting `size - overlap` after the previous; the last window ends at the last token, so the
 * end of a long text is always seen in full. An empty text gives one empty window.
 */
export function splitIntoWindows(ids: readonly number[], size: number, overlap: number = DEFAULT_WINDOW.overlap): number[][] {
  if (size < 1) throw new RangeError('window size must be at least 1');
  if (overlap < 0 || overlap >= size) throw new RangeError('overlap must be in [0, size)');
  if (ids.length <= size) return [[...ids]];
  const stride = size - overlap;
  const windows: number[][] = [];
  for (let start = 0; ; start += stride) {
    if (start + size >= ids.length) {
      windows.push(ids.slice(Math.max(0, ids.length - size)));
      break;
    }
    windows.push(ids.slice(start, start + size));
  }
  return windows;
}

/** Wraps a window in the model's special tokens, e.g. `[CLS] … [SEP]`. */
export function withSpecialTokens(window: readonly number[], prefix: readonly number[], suffix: readonly number[]): number[] {
  return [...prefix, ...window, ...suffix];
}
