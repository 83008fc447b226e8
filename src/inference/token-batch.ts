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

