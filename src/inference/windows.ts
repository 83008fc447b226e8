/** How a long text is cut into windows: content tokens per window, and tokens shared by neighbours. */
export interface WindowOptions {
  tokens: number;
  overlap: number;
}

/**
 * The default windows: 128 content tokens, 32 shared. Prompt classifiers are trained on
 * prompt-length texts, and an attack diluted in a 510-token window of other text scores far
 * lower than the same attack in a short one; short windows keep it in distribution. The
 * overlap keeps an attack cut by a window edge whole in one window.
 */
export const DEFAULT_WINDOW: WindowOptions = { tokens: 128, overlap: 32 };

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
