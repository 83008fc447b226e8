/**
 * How a long text is cut into windows: content tokens per window, and tokens shared by
 * neighbours; `fine` adds a second, finer pass over texts longer than one window.
 */
export interface WindowOptions {
  tokens: number;
  overlap: number;
  /** Small windows for a needle in a long text; `null` turns the fine pass off. */
  fine: { tokens: number; overlap: number } | null;
  /** Apply the model's calibrated window-count penalty when its manifest has one (see `textLogits`); default true. */
  countPenalty?: boolean;
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
 * `models/train/5-measure/score-windows.ts`, leave-sources-out test split, shipped thresholds): the fine
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

/** A text as model rows: its main windows first, then the fine pass's (if any). */
export interface WindowedText {
  rows: number[][];
  /** How many of `rows`, from the start, are main windows. */
  mainWindows: number;
}

/**
 * A text's content ids as model rows: one row if it fits a window, else overlapping windows
 * covering all of it and, when the plan has one, the finer pass; each row framed by the
 * special tokens. The engine combines the rows' scores with `textLogits`.
 */
export function windowRows(ids: readonly number[], plan: WindowPlan): WindowedText {
  const { window } = plan;
  const windows = splitIntoWindows(ids, window.tokens, window.overlap);
  const mainWindows = windows.length;
  if (mainWindows > 1 && window.fine) windows.push(...splitIntoWindows(ids, window.fine.tokens, window.fine.overlap));
  return { rows: windows.map((w) => withSpecialTokens(w, plan.prefix, plan.suffix)), mainWindows };
}

/**
 * One logit per label for a whole text from its rows' logits (main windows first): the highest
 * main-window logit less `penalty[label] · ln(main windows)`, or the highest fine-window logit
 * when that is higher.
 *
 * Why the penalty: thresholds are calibrated on single prompts, one window each, and a text of
 * n windows gets n draws at them, so without it long benign documents are flagged several times
 * as often as short ones. If benign window logits have an exponential upper tail of slope β
 * (P(z > t) ∝ e^(−t/β)), the maximum of n windows exceeds t about n times as often, and
 * subtracting β · ln n brings it back; overlapping windows are not independent, so a model's
 * manifest ships λ·β with λ ≤ 1 chosen on validation (`models/train/6-calibrate/window_penalty.py`). Fine
 * windows, an opt-in sensitive mode, are left as they score.
 */
export function textLogits(rows: readonly ArrayLike<number>[], mainWindows: number, penalty?: readonly number[] | null): number[] {
  if (rows.length === 0 || mainWindows < 1 || mainWindows > rows.length) throw new RangeError('a text needs at least one main window among its rows');
  const width = rows[0]!.length;
  const lnWindows = Math.log(mainWindows);
  const out: number[] = [];
  for (let label = 0; label < width; label += 1) {
    let main = -Infinity;
    for (let r = 0; r < mainWindows; r += 1) main = Math.max(main, rows[r]![label]!);
    let best = main - (penalty?.[label] ?? 0) * lnWindows;
    for (let r = mainWindows; r < rows.length; r += 1) best = Math.max(best, rows[r]![label]!);
    out.push(best);
  }
  return out;
}
