/**
 * A Policy is plain, serializable data (JSON): what to do, per category and direction, with
 * what the screening layers found. `policy.schema.json` beside this file is its JSON Schema;
 * `validatePolicy` checks one and lists every problem by path.
 */

/** What happens to a screened text. Ordered by severity. */
export type Action = 'allow' | 'warn' | 'redact' | 'block';
export const ACTIONS: readonly Action[] = ['allow', 'warn', 'redact', 'block'];

/** A threshold in [0, 1] on the category's score, and the action when the score reaches it. */
export interface CategoryRule {
  threshold: number;
  action: Action;
}

/** Rules for one direction: user prompts (`input`) or model replies (`output`). */
export interface DirectionPolicy {
  /**
   * Per category: classifier labels (`injection`, `jailbreak`, `harmful`, `toxic`), rule
   * categories (`pii`, `secrets`), topics (`topic:<name>`), `conversation:escalation`,
   * `conversation:turns`. A category not listed is allowed.
   */
  categories: Record<string, CategoryRule>;
}

/** Conversation-level limits: escalation across turns, long-conversation drift, repeat offenders. */
export interface ConversationPolicy {
  /** Turns (user messages) after which `conversation:turns` fires. */
  maxTurns: number;
  /** Each turn's risk is added to the running risk after multiplying that by `decay` (0–1). */
  decay: number;
  /**
   * A turn counts toward escalation only when its score reaches this share (0–1) of the
   * category's threshold; below it, the turn adds no risk and cannot be flagged for escalation.
   * Default 0.5.
   */
  elevated?: number;
  /** After this many blocked prompts in one conversation, thresholds are scaled by `repeatFactor`. */
  repeatLimit: number;
  /** Multiplier (0–1] applied to input thresholds once `repeatLimit` is reached. */
  repeatFactor: number;
}

export interface Policy {
  version: 1;
  /** A name for reports and the audit log. */
  name?: string;
  input: DirectionPolicy;
  output: DirectionPolicy;
  /** Topic lists: a deny topic is a named list of phrases; `topic:<name>` fires when one appears. */
  topics: { deny: Record<string, string[]> };
  conversation: ConversationPolicy;
  /** When the guard cannot screen: `closed` blocks (with a clear reason), `open` allows with a warning. */
  failureMode: 'closed' | 'open';
  /** The block message shown in place of a withheld reply. */
  blockMessage: string;
  /**
   * Optional second review: texts whose highest classifier score falls in `band` [low, high)
   * are re-scored by a second (typically larger) model, whose scores replace the first's for
   * the labels both have; or, with `margin`, each label near its threshold is (the cascade, see
   * `ClassifierReviewPolicy`). It loads on first use (or ahead, on `setPolicy`).
   */
  secondReview?: SecondReviewPolicy;
  /**
   * Optional language step: texts mostly in a language the classifiers were not trained on are
   * noted (`verdict.language`, category `language:not-covered`) and handled by `uncovered`.
   * Without this section the step is off and the language-id model never loads.
   */
  language?: LanguagePolicy;
}

/** What happens to a text mostly in a language the classifiers do not cover. */
export type UncoveredLanguageAction = 'warn' | 'screen' | 'block';
export const UNCOVERED_LANGUAGE_ACTIONS: readonly UncoveredLanguageAction[] = ['warn', 'screen', 'block'];

/**
 * The language step (src/screen/language/): fastText's language id over the text, and what a
 * text gets when its language is not covered. A short text (fewer than `minWords` words) or one
 * whose language is not clear counts as covered.
 */
export interface LanguagePolicy {
  /** Languages the classifiers read, as fastText labels: ISO 639-1 where one exists (`en`, `fr`, `zh`), else 3 letters (`yue`). */
  covered: string[];
  /**
   * - `warn`: rules act as usual (PII, secrets, attack patterns, deny topics); classifier scores
   *   (and the conversation escalation built on them) are computed and reported but at most
   *   warn, never block; `language:not-covered` warns. The `balanced` and `permissive` presets.
   * - `screen`: judged as if covered (classifier scores block as usual); the verdict still
   *   says the language. The `strict` preset: it prefers a false alarm to a miss.
   * - `block`: blocked, whatever else was found: fail closed for languages the guard cannot read.
   */
  uncovered: UncoveredLanguageAction;
  /** Share (0–1) of fastText's probability on uncovered languages a text needs to count as not covered (default 0.9). */
  minShare?: number;
  /** A text with fewer words counts as covered, whatever its language (default 3). */
  minWords?: number;
  /**
   * When the language-id model is unavailable (its file missing, corrupt or unreachable; see
   * `guard.status.language`):
   * - `screen` (default): texts are judged as if covered (classifier scores decide, rules apply);
   *   each verdict notes that the language was not checked;
   * - `block`: fail closed: a text of `minWords` words or more is blocked
   *   (`language:not-checked`), as it could be in a language the classifiers cannot read.
   */
  unavailable?: UnavailableLanguageAction;
  /**
   * A classifier that reads other languages (e.g. `models/guard-use-m3/`, the multilingual
   * reader): a text mostly in one of its `languages` (and in none of `covered`) is scored by it
   * instead of the first model, each score read at the reader's own calibrated threshold, and the
   * text counts as covered (`verdict.language.model` names the reader). If the reader cannot be
   * loaded, such texts are handled as uncovered (`verdict.language.modelFailed` says why).
   */
  multilingual?: MultilingualReaderPolicy;
}

/** `LanguagePolicy.multilingual`: the model, and the languages it is trusted to read. */
export interface MultilingualReaderPolicy {
  /** `{ url }`, `{ hub, revision?, host? }` or `{ name }`, as for the first model. */
  model: { url?: string; hub?: string; name?: string; revision?: string; host?: string; dtype?: 'auto' | 'fp32' | 'fp16' | 'q8' };
  /** fastText labels of the languages it reads (its model card says which were measured). */
  languages: string[];
}

/** What happens to texts when the language-id model cannot be used. */
export type UnavailableLanguageAction = 'screen' | 'block';
export const UNAVAILABLE_LANGUAGE_ACTIONS: readonly UnavailableLanguageAction[] = ['screen', 'block'];

/** The second-review layer: a larger classifier, or a generative guard model (`kind: 'llm'`). */
export type SecondReviewPolicy = ClassifierReviewPolicy | LlmReviewPolicy;

/**
 * A second, typically larger, classifier re-scores the grey band. Give `band` or `margin`:
 * - `band: [low, high]`: a text whose highest score is in [low, high) is re-scored, and the
 *   second model's scores replace the first's, as they are, on every label both have;
 * - `margin: [below, above]` (the cascade): per label, the second model decides when the first
 *   model's score lies within `below` logits under and `above` logits over the policy's threshold
 *   for it; elsewhere the first model's score stands. The second model's score is read at its own
 *   calibrated threshold (its manifest's `default`): a score at that threshold counts as one at
 *   the policy's, so the models' different scales do not matter.
 */
export interface ClassifierReviewPolicy {
  kind?: 'classifier';
  /** `{ url }`, `{ hub, revision?, host? }` or `{ name }`, as for the first model. */
  model: { url?: string; hub?: string; name?: string; revision?: string; host?: string; dtype?: 'auto' | 'fp32' | 'fp16' | 'q8' };
  band?: [number, number];
  margin?: [number, number];
  /** The labels the second model decides (default: every label both models have). */
  labels?: string[];
  /**
   * For model replies (direction `output`), with `margin`: their own `margin` and `labels`, where
   * they differ from the prompts' (each field left out is the prompts'). A reply is read for other
   * things than a prompt: the second model may be worth asking about harm in replies and about
   * injections in prompts.
   */
  output?: ReplyReviewPolicy;
}

/** A `margin` review's settings for replies; see `ClassifierReviewPolicy.output`. */
export interface ReplyReviewPolicy {
  margin?: [number, number];
  labels?: string[];
}

/** The most logits a `margin` may reach either side of a threshold. */
export const MAX_REVIEW_MARGIN = 20;

/** Guard-model families the judge reads (src/judge/adapters/). */
export type JudgeFamilyName = 'llama-guard' | 'shieldgemma' | 'qwen-guard';
export const JUDGE_FAMILY_NAMES: readonly JudgeFamilyName[] = ['llama-guard', 'shieldgemma', 'qwen-guard'];
export const JUDGE_DTYPES = ['auto', 'q4f16', 'fp16', 'q4', 'q8', 'fp32'] as const;
/** Weight formats a guard LLM is published in (transformers.js's `dtype`). */
export type JudgeDtype = (typeof JUDGE_DTYPES)[number];

/**
 * A generative guard model (Llama Guard, ShieldGemma, a Qwen-style guard) judges the grey band.
 * It runs in its own worker through transformers.js (`import { judge } from 'guarded-chat/judge'`,
 * passed to `createGuard({ judge })`), its files kept in the same verified IndexedDB store.
 */
export interface LlmReviewPolicy {
  kind: 'llm';
  /** A hub-shaped folder: `{ hub: 'org/name', revision?, host?, sha256? }` (`host` for a mirror or a local copy). */
  model: { hub: string; revision?: string; host?: string; sha256?: Record<string, string> };
  /** How to ask it and read it; default guessed from the hub id. */
  family?: JudgeFamilyName;
  /** Weights (transformers.js `dtype`); `auto`: q4f16 on WebGPU with fp16 shaders, else q4. */
  dtype?: JudgeDtype;
  /** `auto`: WebGPU on a hardware adapter, else WASM. */
  device?: 'auto' | 'webgpu' | 'wasm';
  /** Texts whose top classifier score is in [low, high) are judged. */
  band: [number, number];
  /** `all`: every reply is judged too, whatever its scores (default `band`). */
  replies?: 'band' | 'all';
  /** Longest wait for a verdict, queue included (default 10,000 ms); past it the classifier's decision stands, with a note. */
  timeoutMs?: number;
  /** Qwen-style guards may answer `Controversial`: judged as `unsafe` or `safe` (default `safe`). */
  controversial?: 'unsafe' | 'safe';
}

/** A family guessed from a hub id (`meta-llama/Llama-Guard-3-1B`, `google/shieldgemma-2b`, `Qwen/Qwen3Guard-Gen-0.6B`), or null. */
export function guessJudgeFamily(hubId: string): JudgeFamilyName | null {
  const name = hubId.toLowerCase().replace(/[^a-z0-9]/g, '');
  if (name.includes('llamaguard')) return 'llama-guard';
  if (name.includes('shieldgemma')) return 'shieldgemma';
  if (name.includes('qwen') && name.includes('guard')) return 'qwen-guard';
  return null;
}

/** The family an LLM review is read with: the one named, else the one its hub id suggests. */
export function judgeFamilyOf(review: LlmReviewPolicy): JudgeFamilyName | null {
  return review.family ?? guessJudgeFamily(review.model.hub);
}

function checkSecondReview(problems: PolicyProblem[], review: unknown): void {
  if (!isObject(review)) {
    problems.push({ path: 'secondReview', message: 'must be { model, band }' });
    return;
  }
  if (review.kind !== undefined && review.kind !== 'classifier' && review.kind !== 'llm') {
    problems.push({ path: 'secondReview.kind', message: 'must be "classifier" or "llm"' });
    return;
  }
  const llm = review.kind === 'llm';
  const model = review.model;
  if (!llm) {
    checkClassifierModel(problems, 'secondReview.model', model);
  } else if (!isObject(model) || typeof model.hub !== 'string' || !/^[\w.-]+\/[\w.-]+$/.test(model.hub) || model.url !== undefined || model.name !== undefined) {
    problems.push({ path: 'secondReview.model', message: 'an llm review names a hub-shaped model: { hub: "org/name", revision?, host?, sha256? }' });
  } else if (review.family === undefined && guessJudgeFamily(model.hub) === null) {
    problems.push({ path: 'secondReview.family', message: `cannot tell the family from "${model.hub}"; name one of ${JUDGE_FAMILY_NAMES.join(', ')}` });
  }
  if (!llm) {
    checkClassifierReview(problems, review);
    return;
  }
  checkBand(problems, review.band);
  const oneOf = (key: string, allowed: readonly string[]) => {
    if (review[key] !== undefined && !allowed.includes(review[key] as string)) problems.push({ path: `secondReview.${key}`, message: `must be one of ${allowed.join(', ')}` });
  };
  oneOf('family', JUDGE_FAMILY_NAMES);
  oneOf('dtype', JUDGE_DTYPES);
  oneOf('device', ['auto', 'webgpu', 'wasm']);
  oneOf('replies', ['band', 'all']);
  oneOf('controversial', ['unsafe', 'safe']);
  const timeout = review.timeoutMs;
  if (timeout !== undefined && (typeof timeout !== 'number' || !(timeout >= 100 && timeout <= 120_000))) {
    problems.push({ path: 'secondReview.timeoutMs', message: 'must be a number of milliseconds from 100 to 120000' });
  }
  const known = new Set(['kind', 'model', 'family', 'dtype', 'device', 'band', 'replies', 'timeoutMs', 'controversial']);
  for (const key of Object.keys(review)) if (!known.has(key)) problems.push({ path: `secondReview.${key}`, message: 'is not a known field' });
}

/** A review's `band`: [low, high] in [0, 1], low below high. */
function checkBand(problems: PolicyProblem[], band: unknown): void {
  if (!Array.isArray(band) || band.length !== 2) {
    problems.push({ path: 'secondReview.band', message: 'must be [low, high]' });
    return;
  }
  checkUnit(problems, 'secondReview.band.0', band[0]);
  checkUnit(problems, 'secondReview.band.1', band[1]);
  if (typeof band[0] === 'number' && typeof band[1] === 'number' && band[0] >= band[1]) problems.push({ path: 'secondReview.band', message: 'low must be below high' });
}

function checkMargin(problems: PolicyProblem[], path: string, margin: unknown): void {
  if (!Array.isArray(margin) || margin.length !== 2) {
    problems.push({ path, message: 'must be [below, above] in logits' });
    return;
  }
  margin.forEach((m, i) => {
    if (typeof m !== 'number' || !(m >= 0 && m <= MAX_REVIEW_MARGIN)) problems.push({ path: `${path}.${i}`, message: `must be a number of logits from 0 to ${MAX_REVIEW_MARGIN}` });
  });
  if (margin[0] === 0 && margin[1] === 0) problems.push({ path, message: 'an empty margin reviews nothing: widen one side' });
}

function checkLabels(problems: PolicyProblem[], path: string, labels: unknown): void {
  if (labels !== undefined && (!Array.isArray(labels) || labels.length === 0 || labels.some((l) => typeof l !== 'string' || !l))) {
    problems.push({ path, message: 'must be a non-empty list of label names' });
  }
}

function checkClassifierReview(problems: PolicyProblem[], review: Record<string, unknown>): void {
  const { band, margin, labels, output } = review;
  if ((band === undefined) === (margin === undefined)) {
    problems.push({ path: 'secondReview', message: 'a classifier review needs exactly one of band ([low, high]) and margin ([below, above] logits)' });
  }
  if (band !== undefined) checkBand(problems, band);
  if (margin !== undefined) checkMargin(problems, 'secondReview.margin', margin);
  checkLabels(problems, 'secondReview.labels', labels);
  if (output !== undefined) {
    if (!isObject(output)) problems.push({ path: 'secondReview.output', message: 'must be an object with margin and/or labels' });
    else {
      if (margin === undefined) problems.push({ path: 'secondReview.output', message: 'replies get their own settings in a margin review only' });
      if (output.margin !== undefined) checkMargin(problems, 'secondReview.output.margin', output.margin);
      checkLabels(problems, 'secondReview.output.labels', output.labels);
      for (const key of Object.keys(output)) {
        if (key !== 'margin' && key !== 'labels') problems.push({ path: `secondReview.output.${key}`, message: 'is not a known field' });
      }
    }
  }
  const known = new Set(['kind', 'model', 'band', 'margin', 'labels', 'output']);
  for (const key of Object.keys(review)) if (!known.has(key)) problems.push({ path: `secondReview.${key}`, message: 'is not a known field' });
}

/** A problem with a policy, at a JSON path like `input.categories.toxic.threshold`. */
export interface PolicyProblem {
  path: string;
  message: string;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const CATEGORY_NAME = /^(?:[a-z][a-z0-9_-]*|topic:[a-z0-9][a-z0-9_-]*|conversation:(?:escalation|turns))$/;
const SPAN_CATEGORIES = new Set(['pii', 'secrets']);

function checkUnit(problems: PolicyProblem[], path: string, value: unknown, { min = 0, max = 1, openMin = false } = {}): void {
  if (typeof value !== 'number' || !Number.isFinite(value)) problems.push({ path, message: 'must be a number' });
  else if (value > max || (openMin ? value <= min : value < min)) problems.push({ path, message: `must be in ${openMin ? '(' : '['}${min}, ${max}]` });
}

function checkDirection(problems: PolicyProblem[], path: string, value: unknown): void {
  if (!isObject(value)) {
    problems.push({ path, message: 'must be an object with "categories"' });
    return;
  }
  if (!isObject(value.categories)) {
    problems.push({ path: `${path}.categories`, message: 'must be an object' });
    return;
  }
  for (const [name, rule] of Object.entries(value.categories)) {
    const at = `${path}.categories.${name}`;
    if (!CATEGORY_NAME.test(name)) problems.push({ path: at, message: 'is not a category name (lower-case label, topic:<name> or conversation:escalation|turns)' });
    if (!isObject(rule)) {
      problems.push({ path: at, message: 'must be { threshold, action }' });
      continue;
    }
    checkUnit(problems, `${at}.threshold`, rule.threshold);
    if (!ACTIONS.includes(rule.action as Action)) problems.push({ path: `${at}.action`, message: `must be one of ${ACTIONS.join(', ')}` });
    else if (rule.action === 'redact' && !SPAN_CATEGORIES.has(name)) {
      problems.push({ path: `${at}.action`, message: '"redact" needs spans: only pii and secrets can be redacted' });
    }
    for (const key of Object.keys(rule)) if (key !== 'threshold' && key !== 'action') problems.push({ path: `${at}.${key}`, message: 'is not a known field' });
  }
}

function checkLanguage(problems: PolicyProblem[], language: unknown): void {
  if (!isObject(language)) {
    problems.push({ path: 'language', message: 'must be { covered, uncovered }' });
    return;
  }
  const covered = language.covered;
  if (!isLanguageList(covered)) {
    problems.push({ path: 'language.covered', message: 'must be a non-empty list of language codes as fastText labels them (en, fr, zh, yue)' });
  }
  if (!UNCOVERED_LANGUAGE_ACTIONS.includes(language.uncovered as UncoveredLanguageAction)) {
    problems.push({ path: 'language.uncovered', message: `must be one of ${UNCOVERED_LANGUAGE_ACTIONS.join(', ')}` });
  }
  if (language.unavailable !== undefined && !UNAVAILABLE_LANGUAGE_ACTIONS.includes(language.unavailable as UnavailableLanguageAction)) {
    problems.push({ path: 'language.unavailable', message: `must be one of ${UNAVAILABLE_LANGUAGE_ACTIONS.join(', ')}` });
  }
  if (language.minShare !== undefined) checkUnit(problems, 'language.minShare', language.minShare);
  if (language.minWords !== undefined && (!Number.isInteger(language.minWords) || (language.minWords as number) < 1)) {
    problems.push({ path: 'language.minWords', message: 'must be a whole number ≥ 1' });
  }
  if (language.multilingual !== undefined) checkMultilingual(problems, language.multilingual);
  for (const key of Object.keys(language)) {
    if (!['covered', 'uncovered', 'minShare', 'minWords', 'unavailable', 'multilingual'].includes(key)) problems.push({ path: `language.${key}`, message: 'is not a known field' });
  }
}

const isLanguageList = (v: unknown): v is string[] =>
  Array.isArray(v) && v.length > 0 && v.every((c) => typeof c === 'string' && /^[a-z]{2,3}$/.test(c));

function checkMultilingual(problems: PolicyProblem[], reader: unknown): void {
  if (!isObject(reader)) {
    problems.push({ path: 'language.multilingual', message: 'must be { model, languages }' });
    return;
  }
  checkClassifierModel(problems, 'language.multilingual.model', reader.model);
  if (!isLanguageList(reader.languages)) {
    problems.push({ path: 'language.multilingual.languages', message: 'must be a non-empty list of language codes as fastText labels them (zh, fr, de)' });
  }
  for (const key of Object.keys(reader)) {
    if (key !== 'model' && key !== 'languages') problems.push({ path: `language.multilingual.${key}`, message: 'is not a known field' });
  }
}

/** A classifier model named by exactly one of url, hub, name (the second review's and the multilingual reader's). */
function checkClassifierModel(problems: PolicyProblem[], path: string, model: unknown): void {
  if (!isObject(model) || [model.url, model.hub, model.name].filter((v) => typeof v === 'string' && v).length !== 1) {
    problems.push({ path, message: 'must name exactly one of url, hub, name' });
  }
}

/** Every problem with `value` as a Policy; an empty list means it is valid. */
export function validatePolicy(value: unknown): PolicyProblem[] {
  const problems: PolicyProblem[] = [];
  if (!isObject(value)) return [{ path: '', message: 'a policy must be a JSON object' }];
  if (value.version !== 1) problems.push({ path: 'version', message: 'must be 1' });
  if (value.name !== undefined && typeof value.name !== 'string') problems.push({ path: 'name', message: 'must be a string' });
  checkDirection(problems, 'input', value.input);
  checkDirection(problems, 'output', value.output);
  if (!isObject(value.topics) || !isObject(value.topics.deny)) {
    problems.push({ path: 'topics.deny', message: 'must be an object of topic name → list of phrases' });
  } else {
    for (const [topic, phrases] of Object.entries(value.topics.deny)) {
      if (!/^[a-z0-9][a-z0-9_-]*$/.test(topic)) problems.push({ path: `topics.deny.${topic}`, message: 'topic names are lower-case letters, digits, - and _' });
      if (!Array.isArray(phrases) || phrases.length === 0 || phrases.some((p) => typeof p !== 'string' || !p.trim())) {
        problems.push({ path: `topics.deny.${topic}`, message: 'must be a non-empty list of non-empty strings' });
      }
    }
  }
  const c = value.conversation;
  if (!isObject(c)) problems.push({ path: 'conversation', message: 'must be an object' });
  else {
    if (!Number.isInteger(c.maxTurns) || (c.maxTurns as number) < 1) problems.push({ path: 'conversation.maxTurns', message: 'must be a whole number ≥ 1' });
    checkUnit(problems, 'conversation.decay', c.decay);
    if (c.elevated !== undefined) checkUnit(problems, 'conversation.elevated', c.elevated);
    if (!Number.isInteger(c.repeatLimit) || (c.repeatLimit as number) < 1) problems.push({ path: 'conversation.repeatLimit', message: 'must be a whole number ≥ 1' });
    checkUnit(problems, 'conversation.repeatFactor', c.repeatFactor, { openMin: true });
  }
  if (value.failureMode !== 'closed' && value.failureMode !== 'open') problems.push({ path: 'failureMode', message: 'must be "closed" or "open"' });
  if (typeof value.blockMessage !== 'string') problems.push({ path: 'blockMessage', message: 'must be a string' });
  if (value.secondReview !== undefined) checkSecondReview(problems, value.secondReview);
  if (value.language !== undefined) checkLanguage(problems, value.language);
  const known = new Set(['version', 'name', 'input', 'output', 'topics', 'conversation', 'failureMode', 'blockMessage', 'secondReview', 'language']);
  for (const key of Object.keys(value)) if (!known.has(key)) problems.push({ path: key, message: 'is not a known field' });
  return problems;
}
