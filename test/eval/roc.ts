/** ROC curves from scores. Pure: unit-tested in test/unit/eval-roc.test.ts. */

/** One operating point: flag every score ≥ `threshold`. */
export interface RocPoint {
  threshold: number;
  /** False-positive rate: negatives flagged. */
  fpr: number;
  /** True-positive rate (recall): positives flagged. */
  tpr: number;
}

/**
 * The ROC curve's corners, from (0, 0) (nothing flagged) to (1, 1) (everything flagged): one point
 * per distinct score, so tied scores make one diagonal step, as the AUC's tie rule counts them.
 */
export function rocPoints(positives: readonly number[], negatives: readonly number[]): RocPoint[] {
  if (positives.length === 0 || negatives.length === 0) return [];
  const all = [...positives.map((s) => ({ s, p: true })), ...negatives.map((s) => ({ s, p: false }))].sort((a, b) => b.s - a.s);
  const points: RocPoint[] = [{ threshold: Number.POSITIVE_INFINITY, fpr: 0, tpr: 0 }];
  let tp = 0;
  let fp = 0;
  for (let i = 0; i < all.length; ) {
    const score = all[i]!.s;
    for (; i < all.length && all[i]!.s === score; i++) {
      if (all[i]!.p) tp++;
      else fp++;
    }
    points.push({ threshold: score, fpr: fp / negatives.length, tpr: tp / positives.length });
  }
  return points;
}

/** Area under a curve of points sorted by FPR (trapezoids): equals `rocAuc` for `rocPoints`' output. */
export function areaUnder(points: readonly RocPoint[]): number {
  let area = 0;
  for (let i = 1; i < points.length; i++) area += ((points[i]!.fpr - points[i - 1]!.fpr) * (points[i]!.tpr + points[i - 1]!.tpr)) / 2;
  return area;
}

/**
 * Thins a curve to at most `max` points for drawing, evenly spaced along it, first and last kept:
 * a 10,000-row file would otherwise draw 10,000 vertices.
 */
export function thinCurve(points: readonly RocPoint[], max = 400): RocPoint[] {
  if (points.length <= max) return [...points];
  const step = (points.length - 1) / (max - 1);
  const kept: RocPoint[] = [];
  for (let k = 0; k < max; k++) kept.push(points[Math.round(k * step)]!);
  return kept;
}
