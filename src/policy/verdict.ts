import type { RuleHit } from '../screen/rules/rule-hit.js';
import type { BackendName } from '../types.js';
import type { Action } from './policy.js';

/** Which layer produced a category's score. */
export type Layer = 'rules' | 'classifier' | 'review' | 'conversation' | 'language';

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
  /**
   * Present when the text's language is not covered and the policy lowered this classifier
   * category's action to `warn` (`language.uncovered: 'warn'`): the action it has for covered text.
   */
  loweredFrom?: Action;
}

/**
 * The language-id step's finding (src/screen/language/): the text's dominant language and
 * whether the classifiers read it. A text too short or too doubtful to tell counts as covered.
 */
export interface LanguageVerdict {
  /**
   * fastText's label for the dominant language: ISO 639-1 where one exists (`en`, `fr`, `zh`),
   * else a longer code (`yue`, `ceb`); `und` when there was nothing to tell it by.
   */
  language: string;
  /** The language's probability-weighted share of the text's words (0–1). */
  confidence: number;
  /** The share of the probability on languages not covered (0–1): what `covered` is judged on. */
  uncoveredShare: number;
  /** Whether the classifiers' scores are trusted as usual for this text. */
  covered: boolean;
  /**
   * Why `covered` is what it is: `language` (the language is, or is not, in the policy's list),
   * `short-text` (too few words to judge: covered), `low-confidence` (no clear other language:
   * covered), `covered-part` (mostly another language, but a sentence of it is plainly in a
   * covered one, which the classifiers read: covered), `unavailable` (the language-id model
   * could not load or run: covered unless the policy's `language.unavailable` is `block`; see
   * `failed`).
   */
  basis: 'language' | 'short-text' | 'low-confidence' | 'covered-part' | 'unavailable';
  /** Why the language-id model could not be used: the language was not checked (the reason says so). */
  failed?: string;
  /**
   * The multilingual reader (`policy.language.multilingual`) that scored this text in place of the
   * first model, which does not read its language; the text then counts as covered.
   */
  model?: string;
  /** Why the multilingual reader could not score this text: it was handled as not covered. */
  modelFailed?: string;
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
  /** Present when the policy has a `language` section: the text's language and whether the classifiers cover it. */
  language?: LanguageVerdict;
  backend: BackendName;
  /**
   * Present when the second review looked at this text: which model and its scores (a
   * classifier review), or the guard LLM's reading (`judge`, an llm review). `note` says why an
   * llm review did not decide: the classifier's decision then stands (`judge-unparsable` under a
   * policy that fails closed blocks instead).
   */
  secondReview?: {
    model: string;
    /** The second model's own scores (a classifier review). */
    scores: Record<string, number>;
    /** A `margin` review: the labels whose scores it decided (read at its own calibrated thresholds). */
    labels?: string[];
    failed?: string;
    judge?: JudgeReading;
    note?: JudgeNote;
  };
  /** Present when the guard could not screen and the policy's failure mode decided. */
  failure?: { code: string; message: string };
  timings: { normalizeMs: number; rulesMs: number; classifierMs: number; totalMs: number; reviewMs?: number };
}

/** Why an llm review did not decide a verdict. */
export type JudgeNote =
  /** The model's answer matched none of its family's forms. */
  | 'judge-unparsable'
  /** No answer within the policy's `timeoutMs` (queue included); the review was cancelled. */
  | 'judge-timeout'
  /** Too many reviews were waiting already. */
  | 'judge-busy'
  /** The judge's model is still loading (its first use downloads it). */
  | 'judge-loading'
  /** The judge's model could not be loaded, or no judge was given to `createGuard`. */
  | 'judge-unavailable'
  /** The model failed while judging. */
  | 'judge-failed'
  /** The screen was cancelled (`screen(text, { signal })`: the user edited the text) and its review with it. */
  | 'judge-cancelled';

/** What a guard LLM answered about a text, as its adapter read it. */
export interface JudgeReading {
  family: string;
  verdict: 'safe' | 'unsafe' | 'controversial' | 'unparsable';
  /** The model's categories and ours, e.g. `{ label: 'S9', category: 'harmful' }`. */
  categories: { label: string; category: string }[];
  /** Our categories its answer decided (a `safe` answer clears them). */
  covers: string[];
  /** The raw answers, one per model run. */
  outputs: string[];
  firstTokenMs: number;
  totalMs: number;
}
