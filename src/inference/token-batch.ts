/** Token ids of several texts of one length, as the row-major int64 arrays an ONNX model takes. */
export interface TokenBatch {
  inputIds: BigInt64Array;
  attentionMask: BigInt64Array;
  /** [rows, width] */
  dims: [number, number];
}

/**
 * Stacks rows of equal length into one batch, with no padding. Padding would move scores: with
 * padded positions in a row, onnxruntime-web's kernels round that row's float sums differently,
 * and the int8 model's per-token quantization can turn a last-bit difference into a visible one.
 * A row's scores must be a function of its own tokens only, so padded batches are refused.
 */
export function stackTokenRows(rows: readonly (readonly number[])[]): TokenBatch {
  if (rows.length === 0) throw new RangeError('stackTokenRows needs at least one row');
  const length = rows[0]!.length;
  if (rows.some((r) => r.length !== length)) throw new RangeError('stackTokenRows needs rows of one length (padding would move scores)');
  // A text with no tokens (a tokenizer without special tokens, given nothing it knows) is one
  // masked position: a tensor of width 0 is not a valid model input.
  const width = Math.max(1, length);
  const inputIds = new BigInt64Array(rows.length * width);
  rows.forEach((row, r) => row.forEach((id, c) => { inputIds[r * width + c] = BigInt(id); }));
  return { inputIds, attentionMask: new BigInt64Array(rows.length * width).fill(length === 0 ? 0n : 1n), dims: [rows.length, width] };
}

/** Limits on one model run. */
export interface RunLimits {
  /** Rows per run at most. */
  maxRows: number;
  /** Tokens (rows × row length) per run at most; one row longer than this runs alone. */
  maxTokens: number;
}

/** One model run's limits: 32 rows, and 32 full 128-token windows' worth of tokens (with their special tokens). */
export const DEFAULT_RUN_LIMITS: RunLimits = { maxRows: 32, maxTokens: 32 * 130 };

/**
 * Groups rows into model runs: the indices of the rows each run takes. Only rows of the same
 * length share a run (see `stackTokenRows`): the windows of a long text, which all have the
 * window's length but the last, or short texts that happen to tokenize to the same length.
 * Runs follow the first arrival of each length, rows within a run their arrival order; every
 * index appears in exactly one run.
 */
export function planRuns(lengths: readonly number[], limits: RunLimits): number[][] {
  const byLength = new Map<number, number[]>();
  lengths.forEach((length, i) => {
    const group = byLength.get(length);
    if (group) group.push(i);
    else byLength.set(length, [i]);
  });
  const runs: number[][] = [];
  for (const [length, group] of byLength) {
    const perRun = Math.max(1, Math.min(limits.maxRows, Math.floor(limits.maxTokens / Math.max(1, length))));
    for (let k = 0; k < group.length; k += perRun) runs.push(group.slice(k, k + perRun));
  }
  return runs;
}
