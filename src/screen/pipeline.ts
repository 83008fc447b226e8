import { decide, describeDecision, redact, type CategoryScore } from '../policy/decide.js';
import type { ClassifierReviewPolicy, Policy } from '../policy/policy.js';
import { applyLanguagePolicy, describeLanguage } from '../policy/uncovered-language.js';
import type { CategoryVerdict, Verdict } from '../policy/verdict.js';
import type { ScreenResult } from '../types.js';
import type { JudgeRequest } from '../judge/adapters/adapter.js';
import { ConversationTracker, turnRisk } from './conversation.js';
import { stripFraming } from './framing.js';
import { DEFAULT_JUDGE_TIMEOUT_MS, judgedScores, type JudgeOutcome } from './judge-review.js';
import type { LanguageIdentifier } from './language/language-identifier.js';
import { describeNormalization, normalize } from './normalize.js';
import { findAttackPatterns, findEvasion } from './rules/attack-patterns.js';
import { findPii } from './rules/pii.js';
import type { RuleHit } from './rules/rule-hit.js';
import { findSecrets } from './rules/secrets.js';
import { findTopics } from './rules/topics.js';

/** One text to screen, and where it stands. */
export interface ScreenRequest {
  text: string;
  /** `input`: a user's prompt before it is sent; `output`: a model's reply. Default `input`. */
  direction?: 'input' | 'output';
  /** Ties turns together for the conversation layer (any stable id, e.g. a chat's id). */
  conversation?: string;
  /** For a reply: the prompt it answers. A guard LLM's second review judges the reply in its context. */
  replyTo?: string;
}

/** Which layers run: all by default; `npm run eval -- --layers` turns them off one by one. */
export interface LayerSwitches {
  normalize: boolean;
  rules: boolean;
  classifier: boolean;
  conversation: boolean;
  /** The language step, where the policy has a `language` section (default on). */
  language?: boolean;
}

export const ALL_LAYERS: LayerSwitches = { normalize: true, rules: true, classifier: true, conversation: true, language: true };

type View = NonNullable<CategoryVerdict['view']>;

const HAS_CONTENT = /[\p{L}\p{N}]/u;

/** The second-review model, as the pipeline sees it: an id for the verdict, and its classifier. */
export interface Reviewer {
  kind?: 'classifier';
  id: string;
  classify(text: string): Promise<ScreenResult>;
  /** Its calibrated thresholds per label, where its manifest has them: a `margin` review reads its scores at them. */
  thresholds?(): Promise<ReviewerThresholds>;
}

/** A model's calibrated thresholds per label: `default` for prompts, `output` for replies where calibrated apart. */
export type ReviewerThresholds = Record<string, { default: number; output?: number }>;

/** A guard LLM as the pipeline sees it (src/worker/judge-client.ts): it never rejects. */
export interface LlmReviewer {
  kind: 'llm';
  id: string;
  judge(request: JudgeRequest, timeoutMs: number): Promise<JudgeOutcome>;
}

/**
 * The layered screen: normalize → rules → classifiers → conversation → policy. Each layer's
 * findings become category scores; the policy turns them into one action. The classifier sees
 * the original text and every other view (normalized, decoded payloads, the core of a framed
 * request); a hit on any view counts.
 */
export class ScreeningPipeline {
  constructor(
    private readonly classify: (text: string) => Promise<ScreenResult>,
    private readonly tracker: ConversationTracker = new ConversationTracker(),
    /** The language step's model holder; without one the step does not run. */
    private readonly languageId?: LanguageIdentifier,
  ) {}

  /**
   * `reviewer`: the second review's model (policy.secondReview); `reader`: the multilingual
   * reader (policy.language.multilingual), for texts in its languages.
   */
  async screen(request: ScreenRequest, policy: Policy, layers: LayerSwitches = ALL_LAYERS, reviewer?: Reviewer | LlmReviewer, reader?: Reviewer): Promise<Verdict> {
    const started = performance.now();
    const direction = request.direction ?? 'input';
    const text = request.text;

    const normalized = layers.normalize ? normalize(text) : { original: text, text, readable: text, flags: [], decoded: [] };
    // Rules read every view. The classifier reads the message as a reader would: when it was
    // obfuscated (look-alikes, invisible characters, encodings), the garbled original is out of
    // its training distribution and scores as an attack merely for being encoded, so it reads
    // the readable form instead (encodings undone in place), each payload, and the unframed core.
    const views: [View, string][] = [['original', text]];
    if (normalized.text !== text) views.push(['normalized', normalized.text]);
    if (normalized.readable !== normalized.text) views.push(['readable', normalized.readable]);
    for (const payload of normalized.decoded) views.push(['decoded', payload.text]);
    const core = layers.normalize ? stripFraming(normalized.readable) : null;
    if (core) views.push(['unframed', core]);
    const readableView: View = normalized.readable !== normalized.text ? 'readable' : 'normalized';
    const readViews = normalized.flags.length > 0
      ? views.filter(([view]) => view === readableView || view === 'decoded' || view === 'unframed')
      : views;
    // A view with nothing to read (the visible text around a payload hidden in invisible
    // characters, say) is not screened: a model scores an empty input as noise, not as nothing.
    const worthReading = readViews.filter(([, viewText]) => HAS_CONTENT.test(viewText));
    const classifierViews = worthReading.length > 0 ? worthReading : readViews.slice(0, 1);
    const normalizedAt = performance.now();

    const hits: RuleHit[] = [];
    if (layers.rules) {
      hits.push(...findPii(text), ...findSecrets(text), ...findAttackPatterns(text), ...findEvasion(text, normalized.flags), ...findTopics(text, policy.topics.deny));
      for (const [view, viewText] of views.slice(1)) {
        if (view === 'unframed') continue;
        const source = view === 'normalized' ? 'normalized' : 'decoded'; // the readable form holds decoded text
        for (const hit of [...findAttackPatterns(viewText), ...findTopics(viewText, policy.topics.deny), ...findSecrets(viewText)]) {
          hits.push({ ...hit, source });
        }
      }
    }
    const rulesAt = performance.now();

    // The language step runs beside the classifiers. A text counts as covered when its readable
    // form is: English hidden behind look-alike letters is English, not Russian.
    const languagePolicy = layers.language !== false && this.languageId ? policy.language : undefined;
    const languageFound = languagePolicy && this.languageId!.identify([text, normalized.readable], languagePolicy);

    const scores: Record<string, number> = {};
    const bestView: Record<string, View> = {};
    let backend: Verdict['backend'] = 'wasm';
    // A text in a language the first model does not read but the multilingual reader does is the
    // reader's to score: its language is known first (the language step is quick), then one model reads it.
    const readerLanguages = languagePolicy?.multilingual?.languages;
    let readBy: string | undefined;
    let readerFailed: string | undefined;
    if (layers.classifier && reader && readerLanguages) {
      const found = await languageFound;
      if (found && !found.covered && found.basis === 'language' && readerLanguages.includes(found.language)) {
        try {
          const [results, theirs] = await Promise.all([Promise.all(classifierViews.map(([, viewText]) => reader.classify(viewText))), reader.thresholds?.()]);
          for (const result of results) backend = result.backend;
          for (const [label, score] of Object.entries(highestPerLabel(results, classifierViews, bestView))) {
            scores[label] = atPolicyThreshold(score, label, theirs, policy, direction);
          }
          readBy = reader.id;
        } catch (error) {
          readerFailed = error instanceof Error ? error.message : String(error);
        }
      }
    }
    if (layers.classifier && !readBy) {
      const results = await Promise.all(classifierViews.map(([, viewText]) => this.classify(viewText)));
      for (const result of results) backend = result.backend;
      Object.assign(scores, highestPerLabel(results, classifierViews, bestView));
    }
    let secondReview: Verdict['secondReview'];
    const top = Math.max(0, ...Object.values(scores));
    const classifierReview = policy.secondReview?.kind !== 'llm' ? policy.secondReview : undefined;
    const classifierReviewer = reviewer?.kind !== 'llm' ? reviewer : undefined;
    // Labels whose scores the second model now decides (a classifier review).
    const reviewedLabels = new Set<string>();
    // A second review is a second opinion on the first model's English reading: not on the reader's.
    const toReview = layers.classifier && !readBy && classifierReviewer && classifierReview
      ? labelsToReview(classifierReview, scores, top, policy, direction) : [];
    if (toReview.length > 0 && classifierReviewer && classifierReview) {
      try {
        const [reviewed, theirs] = await Promise.all([
          Promise.all(classifierViews.map(([, viewText]) => classifierReviewer.classify(viewText))),
          classifierReview.margin ? classifierReviewer.thresholds?.() : undefined,
        ]);
        const reviewView: Record<string, View> = {};
        const reviewScores = highestPerLabel(reviewed, classifierViews, reviewView);
        // The larger model's judgement replaces the first's on the labels under review that both have:
        // as it is (`band`), or read at its own calibrated threshold (`margin`).
        for (const label of toReview) {
          const score = reviewScores[label];
          if (score === undefined) continue;
          scores[label] = classifierReview.margin ? atPolicyThreshold(score, label, theirs, policy, direction) : score;
          bestView[label] = reviewView[label]!;
          reviewedLabels.add(label);
        }
        secondReview = { model: classifierReviewer.id, scores: reviewScores, ...(classifierReview.margin ? { labels: [...reviewedLabels] } : {}) };
      } catch (error) {
        secondReview = { model: classifierReviewer.id, scores: {}, failed: error instanceof Error ? error.message : String(error) };
      }
    }
    const classifiedAt = performance.now();

    // A guard LLM's reading decides the categories it covers; the others keep the classifier's.
    let judged: Map<string, number> | null = null;
    let unreadable = false;
    const llmPolicy = policy.secondReview?.kind === 'llm' ? policy.secondReview : undefined;
    if (layers.classifier && llmPolicy && reviewer?.kind === 'llm'
      && ((top >= llmPolicy.band[0] && top < llmPolicy.band[1]) || (direction === 'output' && llmPolicy.replies === 'all'))) {
      // The judge reads what a person would: the readable form of an obfuscated text.
      const judgedText = normalized.flags.length > 0 ? normalized.readable : text;
      const context = direction === 'output' && request.replyTo ? { prompt: request.replyTo } : {};
      const outcome = await reviewer.judge({ text: judgedText, direction, ...context }, llmPolicy.timeoutMs ?? DEFAULT_JUDGE_TIMEOUT_MS);
      if ('reading' in outcome) {
        judged = judgedScores(outcome.reading, llmPolicy.controversial ?? 'safe');
        unreadable = judged === null;
        secondReview = { model: reviewer.id, scores: Object.fromEntries(judged ?? []), judge: outcome.reading, ...(unreadable ? { note: 'judge-unparsable' as const } : {}) };
      } else {
        secondReview = { model: reviewer.id, scores: {}, note: outcome.note, failed: outcome.message };
      }
    }
    const reviewedAt = performance.now();

    const categoryScores = new Map<string, CategoryScore>();
    const raise = (s: CategoryScore) => {
      const current = categoryScores.get(s.category);
      if (!current || s.score > current.score) categoryScores.set(s.category, s);
    };
    // A classifier review's scores replaced the first model's on the labels it reviewed; an llm review decides only the categories it covers.
    for (const [label, score] of Object.entries(scores)) {
      const verdictOfJudge = judged?.get(label);
      const layer = verdictOfJudge !== undefined || reviewedLabels.has(label) ? 'review' : 'classifier';
      raise({ category: label, score: verdictOfJudge ?? score, layer, view: bestView[label]! });
    }
    // Categories the judge named that the classifier has no label for (Llama Guard's S14: injection).
    for (const [category, score] of judged ?? []) if (scores[category] === undefined && score > 0) raise({ category, score, layer: 'review' });
    for (const hit of hits) raise({ category: hit.category, score: 1, layer: 'rules', view: hit.source });

    // Awaited before the conversation is read: from reading its state to recording this turn
    // nothing may yield, or two screens of one conversation could interleave.
    const found = await languageFound;
    const language = found && readBy ? { ...found, covered: true, model: readBy } : found && readerFailed ? { ...found, modelFailed: readerFailed } : found;
    let conversation: Verdict['conversation'];
    let thresholdFactor = 1;
    let turnRiskNow: Record<string, number> = {};
    if (layers.conversation && request.conversation && direction === 'input') {
      // Scores on a language the classifiers do not read are not evidence of escalation either.
      const trusted = !language || language.covered || languagePolicy?.uncovered === 'screen';
      const reviewed = judged ? { ...scores, ...Object.fromEntries([...judged].filter(([label]) => scores[label] !== undefined)) } : scores;
      turnRiskNow = trusted ? turnRisk(reviewed, policy.input) : {};
      const signal = this.tracker.assess(request.conversation, turnRiskNow, policy.conversation);
      thresholdFactor = signal.thresholdFactor;
      if (signal.top) raise({ category: 'conversation:escalation', score: signal.top.score, layer: 'conversation' });
      raise({ category: 'conversation:turns', score: signal.turnLimit, layer: 'conversation' });
      conversation = { id: request.conversation, turns: signal.turns, escalation: signal.top?.score ?? 0 };
    }

    const decided = decide([...categoryScores.values()], policy[direction], thresholdFactor);
    const judgedOutcome = language && languagePolicy
      ? applyLanguagePolicy(decided, language, languagePolicy, new Set(hits.map((h) => h.category)))
      : decided;
    const { categories } = judgedOutcome;
    // An answer that cannot be read is a failure of the guard: the failure mode decides.
    const failedClosed = unreadable && policy.failureMode === 'closed';
    const action = failedClosed ? 'block' : judgedOutcome.action;
    // Recorded once the verdict is known: a blocked turn adds no risk (see ConversationTracker).
    if (conversation) this.tracker.commit(conversation.id, turnRiskNow, action === 'block', policy.conversation);
    const finished = performance.now();
    return {
      action,
      direction,
      reason: (failedClosed ? 'Blocked: the second review\'s answer could not be read (judge-unparsable), and the policy fails closed.' : describeDecision(action, categories))
        + describeLanguage(language, languagePolicy) + describeNormalization(normalized.flags),
      categories,
      hits,
      ...(action === 'redact' ? { redactedText: redact(text, hits, categories) } : {}),
      scores,
      ...(secondReview ? { secondReview } : {}),
      normalization: { flags: normalized.flags, decoded: normalized.decoded.length },
      ...(conversation ? { conversation } : {}),
      ...(language ? { language } : {}),
      backend,
      timings: {
        normalizeMs: normalizedAt - started,
        rulesMs: rulesAt - normalizedAt,
        classifierMs: classifiedAt - rulesAt,
        ...(llmPolicy && secondReview ? { reviewMs: reviewedAt - classifiedAt } : {}),
        totalMs: finished - started,
      },
    };
  }

  /** Forgets a conversation's history. */
  resetConversation(id: string): void {
    this.tracker.reset(id);
  }
}

/** Per label, the highest score over the views a model read, and (into `viewOf`) the view it came from. */
function highestPerLabel(results: readonly ScreenResult[], views: readonly [View, string][], viewOf: Record<string, View>): Record<string, number> {
  const highest: Record<string, number> = {};
  results.forEach((result, i) => {
    for (const label of result.labels) {
      const score = result.scores[label]!;
      if (highest[label] === undefined || score > highest[label]!) {
        highest[label] = score;
        viewOf[label] = views[i]![0];
      }
    }
  });
  return highest;
}

/**
 * The labels a classifier review decides for this text. `band`: every label (or those named),
 * when the highest score is in [low, high). `margin`: each label (of those named) whose score lies
 * within [threshold - below, threshold + above) in logits, the threshold being the policy's for it
 * in this direction (a label the policy does not score is not reviewed); a reply reads the
 * review's `output` settings where it has them.
 */
export function labelsToReview(review: ClassifierReviewPolicy, scores: Record<string, number>, top: number, policy: Policy,
  direction: 'input' | 'output'): string[] {
  const reply = direction === 'output' && review.margin ? review.output : undefined;
  const only = reply?.labels ?? review.labels;
  const named = Object.keys(scores).filter((label) => !only || only.includes(label));
  if (review.margin) {
    const [below, above] = reply?.margin ?? review.margin;
    return named.filter((label) => {
      const rule = policy[direction].categories[label];
      if (!rule) return false;
      const distance = logit(scores[label]!) - logit(rule.threshold);
      return distance >= -below && distance < above;
    });
  }
  const band = review.band;
  return band && top >= band[0] && top < band[1] ? named : [];
}

const LOGIT_EDGE = 1e-7;
const logit = (p: number) => {
  const q = Math.min(1 - LOGIT_EDGE, Math.max(LOGIT_EDGE, p));
  return Math.log(q / (1 - q));
};

/**
 * A second model's score for `label`, read at its own calibrated threshold (`theirs`; for a reply
 * its reply threshold where it has one): moved so that its threshold lands on the policy's. As
 * it is when either threshold is unknown.
 */
function atPolicyThreshold(score: number, label: string, theirs: ReviewerThresholds | undefined, policy: Policy, direction: 'input' | 'output'): number {
  const rule = policy[direction].categories[label];
  const own = theirs?.[label];
  const ownThreshold = own && (direction === 'output' ? own.output ?? own.default : own.default);
  return rule && ownThreshold ? onScaleOf(score, ownThreshold, rule.threshold) : score;
}

/**
 * A second model's score moved onto the scale the policy's threshold is on: the same distance in
 * logits from `threshold` as the score has from the model's own calibrated threshold, so a score
 * at the model's own threshold lands exactly on the policy's.
 */
export function onScaleOf(score: number, ownThreshold: number, threshold: number): number {
  return 1 / (1 + Math.exp(-(logit(threshold) + logit(score) - logit(ownThreshold))));
}
