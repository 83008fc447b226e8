/** Per-label evaluation of scores against labelled rows. Pure functions: unit-tested. */

/** Area under the ROC curve: the chance a random positive outscores a random negative (ties count half). */
export function rocAuc(positives: readonly number[], negatives: readonly number[]): number {
  if (positives.length === 0 || negatives.length === 0) return Number.NaN;
  const all = [...positives.map((s) => ({ s, p: 1 })), ...negatives.map((s) => ({ s, p: 0 }))].sort((a, b) => a.s - b.s);
  let rankSum = 0;
  for (let i = 0; i < all.length; ) {
    let j = i;
    while (j < all.length && all[j]!.s === all[i]!.s) j++;
    const averageRank = (i + 1 + j) / 2; // ranks i+1 … j share their mean
    for (let k = i; k < j; k++) if (all[k]!.p === 1) rankSum += averageRank;
    i = j;
  }
  const n1 = positives.length;
  return (rankSum - (n1 * (n1 + 1)) / 2) / (n1 * negatives.length);
}

/**
 * The lowest threshold at which at most `fpr` of the negatives score at or above it; scores are
 * flagged when `score >= threshold`. With no room for any false positive, it sits just above
 * the highest negative.
 */
export function thresholdAtFpr(negatives: readonly number[], fpr: number): number {
  if (negatives.length === 0) return 0.5;
  const sorted = [...negatives].sort((a, b) => b - a);
  const allowed = Math.floor(fpr * negatives.length);
  if (allowed >= sorted.length) return 0;
  // Flagging must stop at the (allowed+1)-th highest negative: just above it.
  const boundary = sorted[allowed]!;
  return nextUp(boundary);
}

function nextUp(x: number): number {
  return x + Math.max(Number.EPSILON, Math.abs(x) * 1e-12);
}

/** What one label scored on a labelled file. */
export interface LabelMetrics {
  label: string;
  /** Rows carrying this label. */
  count: number;
  rocAuc: number;
  threshold: number;
  precision: number;
  recall: number;
  f1: number;
  /** Benign rows flagged for this label at `threshold`. */
  benignFpr: number;
  /** Recall with the threshold moved so that 1% of benign rows are flagged. */
  recallAt1PctFpr: number;
}

/** Scores one label: its rows against the benign rows (other attack labels are left out). */
export function labelMetrics(label: string, positives: readonly number[], benign: readonly number[], threshold: number): LabelMetrics {
  const truePositives = positives.filter((s) => s >= threshold).length;
  const falsePositives = benign.filter((s) => s >= threshold).length;
  const precision = truePositives + falsePositives === 0 ? Number.NaN : truePositives / (truePositives + falsePositives);
  const recall = positives.length === 0 ? Number.NaN : truePositives / positives.length;
  const f1 = precision + recall === 0 || Number.isNaN(precision) || Number.isNaN(recall) ? Number.NaN : (2 * precision * recall) / (precision + recall);
  const at1 = thresholdAtFpr(benign, 0.01);
  return {
    label,
    count: positives.length,
    rocAuc: rocAuc(positives, benign),
    threshold,
    precision,
    recall,
    f1,
    benignFpr: benign.length === 0 ? Number.NaN : falsePositives / benign.length,
    recallAt1PctFpr: positives.length === 0 ? Number.NaN : positives.filter((s) => s >= at1).length / positives.length,
  };
}
