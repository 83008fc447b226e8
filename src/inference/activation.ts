/** Logistic sigmoid: independent per-label probabilities for multi-label heads. */
export function sigmoid(logits: ArrayLike<number>): number[] {
  return Array.from(logits, (x) => 1 / (1 + Math.exp(-x)));
}

/** Softmax over one row: mutually exclusive labels. Shifted by the max for stability. */
export function softmax(logits: ArrayLike<number>): number[] {
  const row = Array.from(logits);
  const max = Math.max(...row);
  const exps = row.map((x) => Math.exp(x - max));
  const sum = exps.reduce((a, b) => a + b, 0);
  return exps.map((e) => e / sum);
}
