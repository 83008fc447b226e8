import type { ScreenResult } from '../types.js';

/** A category whose score reached its threshold. */
export interface FlaggedCategory {
  label: string;
  score: number;
  threshold: number;
}

/** What to do with a screened text, and the reason a person can read. */
export interface Decision {
  action: 'allow' | 'block';
  flagged: FlaggedCategory[];
  /** One line, e.g. `'injection 0.88 ≥ 0.50'`; empty when allowed. */
  reason: string;
}

/**
 * The simplest policy: block when any category's score reaches the threshold (one number
 * for all, or one per label). The full policy layer (warn, redact, per-direction rules)
 * builds on this shape.
 */
export function decideByThreshold(result: ScreenResult, threshold: number | Record<string, number>): Decision {
  const thresholdOf = (label: string) => (typeof threshold === 'number' ? threshold : threshold[label] ?? 1);
  const flagged = result.labels
    .map((label) => ({ label, score: result.scores[label] ?? 0, threshold: thresholdOf(label) }))
    .filter((c) => c.score >= c.threshold)
    .sort((a, b) => b.score - a.score);
  return {
    action: flagged.length > 0 ? 'block' : 'allow',
    flagged,
    reason: flagged.map((c) => `${c.label} ${c.score.toFixed(2)} ≥ ${c.threshold.toFixed(2)}`).join(', '),
  };
}
