/** Token ids of several texts, padded into the row-major int64 arrays an ONNX model takes. */
export interface TokenBatch {
  inputIds: BigInt64Array;
  attentionMask: BigInt64Array;
  /** [rows, width] */
  dims: [number, number];
}

/** Right-pads each row with `padId` to the longest row; the mask marks real tokens. */
export function padTokenBatch(rows: readonly (readonly number[])[], padId: number): TokenBatch {
  if (rows.length === 0) throw new RangeError('padTokenBatch needs at least one row');
  const width = Math.max(1, ...rows.map((r) => r.length));
  const inputIds = new BigInt64Array(rows.length * width).fill(BigInt(padId));
  const attentionMask = new BigInt64Array(rows.length * width);
  rows.forEach((row, r) => {
    row.forEach((id, c) => {
      inputIds[r * width + c] = BigInt(id);
      attentionMask[r * width + c] = 1n;
    });
  });
  return { inputIds, attentionMask, dims: [rows.length, width] };
}


/** Limits on one model run. */
export interface RunLimits {
  /** Rows per run at most. */
  maxRows: number;
  /** Padded tokens (rows × the run's longest row) per run at most; one row longer than this runs alone. */
  maxTokens: number;
}

/**
 * Groups rows into model runs: the indices of the rows each run takes. Rows are taken longest
 * first, and a run only takes rows at least half as long as its first, so short rows (the fine
 * windows of a long text, or short texts batched beside a long one) are not padded to the
 * longest: padding is compute the model spends on nothing. Every index appears in exactly one run.
 */
export function planRuns(lengths: readonly number[], limits: RunLimits): number[][] {
  const order = lengths.map((_, i) => i).sort((a, b) => lengths[b]! - lengths[a]! || a - b);
  const runs: number[][] = [];
  let run: number[] = [];
  let width = 0;
  for (const i of order) {
    const length = lengths[i]!;
    const fits = run.length < limits.maxRows && (run.length + 1) * width <= limits.maxTokens && length * 2 >= width;
    if (run.length > 0 && !fits) {
      runs.push(run);
      run = [];
    }
    if (run.length === 0) width = length;
    run.push(i);
  }
  if (run.length > 0) runs.push(run);
  return runs;
}
