/**
 * A peer guardrail library run beside ours in `npm run eval -- --baseline` and `npm run bench`.
 * Each adapter maps the peer's own output onto our categories, and only onto the categories the
 * peer claims to detect: a category it does not claim is left out of its figures, not scored 0.
 */
export interface PeerGuard {
  /** Package name and version, as printed in reports. */
  readonly name: string;
  /** Our category → which of the peer's outputs stands for it (for the report's legend). */
  readonly claims: Readonly<Record<string, string>>;
  /** Per claimed category: the threshold at which the peer itself flags a text. */
  readonly thresholds: Readonly<Record<string, number>>;
  /** Whether the score is a graded probability (ROC-AUC is meaningful) or a few discrete levels. */
  readonly graded: boolean;
  /** Scores one text: per claimed category, a number that rises with the peer's confidence. */
  score(text: string): Promise<Record<string, number>>;
}
