import type { RuleHit } from '../screen/rules/rule-hit.js';
import type { BackendName } from '../types.js';
import type { Action } from './policy.js';

/** Which layer produced a category's score. */
export type Layer = 'rules' | 'classifier' | 'review' | 'conversation';

/** One category's outcome. */
export interface CategoryVerdict {
  category: string;
  score: number;
  /** The threshold that applied (after any repeat-offender scaling); absent when the policy has no rule. */
  threshold?: number;
  /** The action the policy gives this category when it fires. */
  action: Action;
  layer: Layer;
  /** Which view of the text scored highest: the original, the normalized text, a decoded payload, or the core without its framing. */
  view?: 'original' | 'normalized' | 'readable' | 'decoded' | 'unframed';
  fired: boolean;
}

/**
 * What the guard decided about one text, as plain data: components render it, the audit log
 * stores it, reports count it.
 */
export interface Verdict {
  action: Action;
  direction: 'input' | 'output';
  /** One line a person can read, e.g. `Blocked: injection 0.93 ≥ 0.50 (classifier)`. */
  reason: string;
  categories: CategoryVerdict[];
  /** Rule hits with exact spans in the original text (PII, secrets, attack phrases, topics). */
  hits: RuleHit[];
  /** The text with redacted spans replaced by placeholders; present when the action is `redact`. */
  redactedText?: string;
  /** Classifier probability per model label (max over the text's views and windows). */
  scores: Record<string, number>;
  /** What normalization found (zero-width characters, base64 payloads, …). */
  normalization: { flags: string[]; decoded: number };
  conversation?: { id: string; turns: number; escalation: number };
  backend: BackendName;
  /** Present when the second-review model re-scored this text: which model, and its scores. */
  secondReview?: { model: string; scores: Record<string, number>; failed?: string };
  /** Present when the guard could not screen and the policy's failure mode decided. */
  failure?: { code: string; message: string };
  timings: { normalizeMs: number; rulesMs: number; classifierMs: number; totalMs: number };
}
