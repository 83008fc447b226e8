import { describe, expect, it } from 'vitest';
import type { ClassifierReviewPolicy, Policy } from '../../src/policy/policy.js';
import { POLICY_PRESETS } from '../../src/policy/presets.js';
import { labelsToReview, onScaleOf, ScreeningPipeline, type Reviewer, type ReviewerThresholds } from '../../src/screen/pipeline.js';
import type { ScreenResult } from '../../src/types.js';
import { standInClassifier } from '../stand-in-classifier.js';
import { verdictProblems } from '../verdict-shape.js';

const logit = (p: number) => Math.log(p / (1 - p));
const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));

/** The balanced preset, its injection and jailbreak thresholds at 0.5 and 0.6, with a classifier review. */
function withReview(review: Omit<ClassifierReviewPolicy, 'model'>): Policy {
  const policy = structuredClone(POLICY_PRESETS.balanced);
  policy.input.categories.injection!.threshold = 0.5;
  policy.input.categories.jailbreak!.threshold = 0.6;
  policy.output.categories.harmful!.threshold = 0.7;
  return { ...policy, secondReview: { model: { name: 'big' }, ...review } };
}

/** A second model that records the texts it read, with its own calibrated thresholds. */
function recordingReviewer(scores: Partial<Record<'injection' | 'jailbreak' | 'harmful' | 'toxic', number>>, thresholds?: ReviewerThresholds): Reviewer & { read: string[] } {
  const read: string[] = [];
  return {
    id: 'big',
    read,
    classify: async (text): Promise<ScreenResult> => {
      read.push(text);
      return { labels: Object.keys(scores), scores: { ...scores } as Record<string, number>, backend: 'wasm', tokens: 8, windows: 1, timings: { tokenizeMs: 0, inferenceMs: 0, totalMs: 0 } };
    },
    ...(thresholds ? { thresholds: async () => thresholds } : {}),
  };
}

const first = (injection: number, jailbreak = 0.01, harmful = 0.01) => standInClassifier({ injection, jailbreak, harmful, toxic: 0.01 });
const text = 'Summarise the note below.\n\nThe meeting moved to Tuesday.';

describe('a classifier review by margin (the cascade)', () => {
  it('reads the second model at its own calibrated threshold: a score at it lands on the policy\'s threshold', () => {
    expect(onScaleOf(0.9, 0.9, 0.5)).toBeCloseTo(0.5, 12);
    expect(onScaleOf(0.3, 0.3, 0.77)).toBeCloseTo(0.77, 12);
    // Two logits over its own threshold is two logits over the policy's.
    expect(logit(onScaleOf(sigmoid(logit(0.9) + 2), 0.9, 0.5))).toBeCloseTo(2, 9);
    expect(onScaleOf(0.95, 0.9, 0.5)).toBeGreaterThan(0.5);
    expect(onScaleOf(0.85, 0.9, 0.5)).toBeLessThan(0.5);
  });

  it('picks the labels whose score lies within [threshold - below, threshold + above) logits, of those named', () => {
    const policy = withReview({ margin: [2, 1], labels: ['injection', 'jailbreak'] });
    const scores = (injection: number) => ({ injection, jailbreak: 0.01, harmful: 0.5, toxic: 0.01 });
    const review = policy.secondReview as ClassifierReviewPolicy;
    expect(labelsToReview(review, scores(sigmoid(-2)), 0, policy, 'input')).toEqual(['injection']); // exactly 2 under 0.5
    expect(labelsToReview(review, scores(sigmoid(-2.01)), 0, policy, 'input')).toEqual([]);
    expect(labelsToReview(review, scores(sigmoid(0.99)), 0, policy, 'input')).toEqual(['injection']);
    expect(labelsToReview(review, scores(sigmoid(1)), 0, policy, 'input')).toEqual([]); // the band is open above
    // harmful sits in its own band too, but the review does not decide it.
    expect(labelsToReview(review, scores(0.01), 0, policy, 'input')).toEqual([]);
    expect(labelsToReview({ ...review, labels: undefined }, scores(0.01), 0, policy, 'input')).toEqual(['harmful']);
  });

  it('raises a label the first model let through, and says the review decided it', async () => {
    const reviewer = recordingReviewer({ injection: 0.95, jailbreak: 0.99 }, { injection: { default: 0.9 }, jailbreak: { default: 0.5 } });
    const verdict = await new ScreeningPipeline(first(0.3)).screen({ text }, withReview({ margin: [2, 1], labels: ['injection', 'jailbreak'] }), undefined, reviewer);
    expect(reviewer.read).toEqual([text]);
    expect(verdict.action).toBe('block');
    const injection = verdict.categories.find((c) => c.category === 'injection')!;
    expect(injection).toMatchObject({ layer: 'review', fired: true });
    expect(injection.score).toBeCloseTo(onScaleOf(0.95, 0.9, 0.5), 12);
    // jailbreak was far under its threshold: the first model's score stands, whatever the second says.
    expect(verdict.categories.find((c) => c.category === 'jailbreak')).toMatchObject({ score: 0.01, layer: 'classifier', fired: false });
    expect(verdict.secondReview).toEqual({ model: 'big', scores: { injection: 0.95, jailbreak: 0.99 }, labels: ['injection'] });
    expect(verdict.scores.injection).toBeCloseTo(injection.score, 12); // as with a band review, the decided score
    expect(verdictProblems(verdict, text)).toEqual([]);
  });

  it('clears a label the first model flagged just over its threshold when the second reads it under its own', async () => {
    const reviewer = recordingReviewer({ injection: 0.85 }, { injection: { default: 0.9 } });
    const alone = await new ScreeningPipeline(first(0.6)).screen({ text }, withReview({ margin: [2, 1], labels: ['injection'] }));
    expect(alone.action).toBe('block');
    const verdict = await new ScreeningPipeline(first(0.6)).screen({ text }, withReview({ margin: [2, 1], labels: ['injection'] }), undefined, reviewer);
    expect(verdict.action).toBe('allow');
    expect(verdict.categories.find((c) => c.category === 'injection')).toMatchObject({ layer: 'review', fired: false });
  });

  it('does not run the second model on a text clearly on one side of every threshold', async () => {
    const reviewer = recordingReviewer({ injection: 0.99 }, { injection: { default: 0.9 } });
    const policy = withReview({ margin: [2, 1], labels: ['injection'] });
    const clear = await new ScreeningPipeline(first(0.05)).screen({ text }, policy, undefined, reviewer);
    const sure = await new ScreeningPipeline(first(0.8)).screen({ text }, policy, undefined, reviewer);
    expect(reviewer.read).toEqual([]);
    expect([clear.action, sure.action]).toEqual(['allow', 'block']);
    expect(clear.secondReview).toBeUndefined();
  });

  it('reads a reply at the second model\'s reply threshold, and around the policy\'s output threshold', async () => {
    const reviewer = recordingReviewer({ harmful: 0.5 }, { harmful: { default: 0.9, output: 0.4 } });
    const verdict = await new ScreeningPipeline(first(0.01, 0.01, 0.5)).screen({ text, direction: 'output' }, withReview({ margin: [2, 1], labels: ['harmful'] }), undefined, reviewer);
    const harmful = verdict.categories.find((c) => c.category === 'harmful')!;
    expect(harmful.layer).toBe('review');
    expect(harmful.score).toBeCloseTo(onScaleOf(0.5, 0.4, 0.7), 12);
    expect(harmful.fired).toBe(true);
  });

  it('reads a reply with the review\'s own settings for replies, a prompt with the prompts\'', async () => {
    const policy = withReview({ margin: [2, 1], labels: ['injection'], output: { margin: [3, 0], labels: ['harmful'] } });
    const review = policy.secondReview as ClassifierReviewPolicy;
    const scores = (injection: number, harmful: number) => ({ injection, jailbreak: 0.01, harmful, toxic: 0.01 });
    const atHarmful = (d: number) => sigmoid(logit(0.7) + d); // the output threshold is 0.7
    // Replies: harmful, within [threshold - 3, threshold) logits; injection is not asked about.
    expect(labelsToReview(review, scores(0.5, atHarmful(-3)), 0, policy, 'output')).toEqual(['harmful']);
    expect(labelsToReview(review, scores(0.5, atHarmful(-3.01)), 0, policy, 'output')).toEqual([]);
    expect(labelsToReview(review, scores(0.5, atHarmful(0)), 0, policy, 'output')).toEqual([]); // above: the first model's flag stands
    // Prompts: injection within [threshold - 2, threshold + 1), as before.
    expect(labelsToReview(review, scores(0.5, 0.7), 0, policy, 'input')).toEqual(['injection']);
    // Fields the reply settings leave out are the prompts'.
    const labelsOnly = { ...review, output: { labels: ['harmful'] } };
    expect(labelsToReview(labelsOnly, scores(0.5, atHarmful(0.99)), 0, policy, 'output')).toEqual(['harmful']);
    expect(labelsToReview(labelsOnly, scores(0.5, atHarmful(-2.5)), 0, policy, 'output')).toEqual([]);

    const reviewer = recordingReviewer({ injection: 0.99, harmful: 0.5 }, { injection: { default: 0.5 }, harmful: { default: 0.9, output: 0.4 } });
    const verdict = await new ScreeningPipeline(first(0.5, 0.01, atHarmful(-2.5))).screen({ text, direction: 'output' }, policy, undefined, reviewer);
    expect(verdict.secondReview?.labels).toEqual(['harmful']);
    expect(verdict.categories.find((c) => c.category === 'harmful')).toMatchObject({ layer: 'review', fired: true });
    expect(verdictProblems(verdict, text)).toEqual([]);
  });

  it('takes a second model without calibrated thresholds as it is', async () => {
    const reviewer = recordingReviewer({ injection: 0.45 });
    const verdict = await new ScreeningPipeline(first(0.55)).screen({ text }, withReview({ margin: [2, 1], labels: ['injection'] }), undefined, reviewer);
    expect(verdict.categories.find((c) => c.category === 'injection')).toMatchObject({ score: 0.45, layer: 'review', fired: false });
  });

  it('a band review still replaces every label both models have, as it is', async () => {
    const reviewer = recordingReviewer({ injection: 0.45, jailbreak: 0.2 }, { injection: { default: 0.9 } });
    const verdict = await new ScreeningPipeline(first(0.55)).screen({ text }, withReview({ band: [0.3, 0.9] }), undefined, reviewer);
    expect(verdict.categories.find((c) => c.category === 'injection')).toMatchObject({ score: 0.45, layer: 'review' });
    expect(verdict.categories.find((c) => c.category === 'jailbreak')).toMatchObject({ score: 0.2, layer: 'review' });
    expect(verdict.secondReview).toEqual({ model: 'big', scores: { injection: 0.45, jailbreak: 0.2 } });
  });

  it('a failing second model leaves the first model\'s scores, and says so', async () => {
    const failing: Reviewer = { id: 'big', classify: async () => { throw new Error('no weights'); }, thresholds: async () => ({}) };
    const verdict = await new ScreeningPipeline(first(0.55)).screen({ text }, withReview({ margin: [2, 1] }), undefined, failing);
    expect(verdict.secondReview).toEqual({ model: 'big', scores: {}, failed: 'no weights' });
    expect(verdict.categories.find((c) => c.category === 'injection')).toMatchObject({ score: 0.55, layer: 'classifier', fired: true });
  });
});
