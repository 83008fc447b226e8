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
 * The fine pass a caller can turn on (`window: { fine: { tokens: 32, overlap: 16 } }`): windows of 32 tokens
 * sharing 16 over a text longer than one window, for an attack sentence buried in a long
 * document. One such sentence is diluted in a 128-token window: with guard-bert-mini,
 * "Ignore all previous instructions…" at the end of 100 kB of prose scored 0.018 with
 * 128-token windows, 0.26 with 64 and 0.99 with 32.
 */
export const FINE_WINDOW = { tokens: 32, overlap: 16 } as const;

/**
 * The default windows: a text of up to 128 tokens is screened whole, a longer one in windows
 * of 128 tokens sharing 32, each label taking its highest score over the windows. No fine pass
 * by default: the classifiers are trained and calibrated on whole prompts, and 32-token pieces
 * of ordinary text cut out of context often read as instructions. Measured (2026-11-29,
 * `models/train/score-windows.ts`, leave-sources-out test split, shipped thresholds): the fine
 * pass raised the benign test rows of 600+ characters flagged by some label from 8.3% to 44.6%
 * (guard-bert-mini) and from 11.2% to 39.6% (guard-use-lite), and all benign test rows flagged as
 * injection from 1.9% to 3.4% and from 1.0% to 3.4%. The rule layer still catches the well-known
 * override phrases anywhere in a long text.
 */
export const DEFAULT_WINDOW: WindowOptions = { tokens: 128, overlap: 32, fine: null };

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

/** The most tokens one row may hold: the tokenizer's and the position table's limit, at most 512. */
export function modelMaxLength(tokenizerMaxLength?: number, maxPositionEmbeddings?: number): number {
  return Math.min(tokenizerMaxLength ?? 512, maxPositionEmbeddings ?? 512, 512);
}

/** The windows of one model: the special tokens around each window, and sizes that fit the model. */
export interface WindowPlan {
  prefix: number[];
  suffix: number[];
  window: WindowOptions;
}

/**
 * Fits `window` to a model: `frame` is what the tokenizer makes of an empty text (its special
 * tokens, e.g. `[CLS] [SEP]`, split into prefix and suffix), and windows plus frame must fit
 * `maxLength`. A fine pass no smaller than the main windows is dropped.
 */
export function planWindows(frame: readonly number[], maxLength: number, window: WindowOptions = DEFAULT_WINDOW): WindowPlan {
  const split = frame.length >= 2 ? 1 : frame.length;
  const tokens = Math.max(1, Math.min(window.tokens, maxLength - frame.length));
  const fine = window.fine && window.fine.tokens < tokens
    ? { tokens: window.fine.tokens, overlap: Math.min(window.fine.overlap, window.fine.tokens - 1) }
    : null;
  return { prefix: frame.slice(0, split), suffix: frame.slice(split), window: { tokens, overlap: Math.min(window.overlap, tokens - 1), fine } };
}

/**
 * A text's content ids as model rows: one row if it fits a window, else overlapping windows
 * covering all of it and, when the plan has one, the finer pass; each row framed by the
 * special tokens. The engine takes the maximum score over the rows.
 */
export function windowRows(ids: readonly number[], plan: WindowPlan): number[][] {
  const { window } = plan;
  const windows = splitIntoWindows(ids, window.tokens, window.overlap);
  if (windows.length > 1 && window.fine) windows.push(...splitIntoWindows(ids, window.fine.tokens, window.fine.overlap));
  return windows.map((w) => withSpecialTokens(w, plan.prefix, plan.suffix));
}
