import { describe, expect, it } from 'vitest';
import type { JudgeRequest } from '../../src/judge/adapters/adapter.js';
import type { LlmReviewPolicy, Policy } from '../../src/policy/policy.js';
import { POLICY_PRESETS } from '../../src/policy/presets.js';
import type { JudgeOutcome } from '../../src/screen/judge-review.js';
import { ScreeningPipeline, type LlmReviewer } from '../../src/screen/pipeline.js';
import { standInClassifier } from '../stand-in-classifier.js';
import { verdictProblems } from '../verdict-shape.js';

/** A stand-in classifier: harmful 0.6 (in the band below), the rest low. */
const unsure = standInClassifier({ injection: 0.05, jailbreak: 0.02, harmful: 0.6, toxic: 0.01 });

/** A stand-in guard LLM that records what it was asked and answers as told. */
function recordingJudge(answer: (request: JudgeRequest) => JudgeOutcome): LlmReviewer & { asked: JudgeRequest[] } {
  const asked: JudgeRequest[] = [];
  return {
    kind: 'llm',
    id: 'org/guard',
    asked,
    judge: async (request) => {
      asked.push(request);
      return answer(request);
    },
  };
}

const safe = (): JudgeOutcome => ({ reading: { family: 'llama-guard', verdict: 'safe', categories: [], covers: ['harmful', 'toxic'], outputs: ['safe'], firstTokenMs: 1, totalMs: 2 } });
const review = (extra: Partial<LlmReviewPolicy> = {}): Policy => ({
  ...structuredClone(POLICY_PRESETS.balanced),
  secondReview: { kind: 'llm', model: { hub: 'org/llama-guard' }, band: [0.3, 0.9], ...extra },
});

describe('the pipeline\'s llm second review (stand-in classifier and judge)', () => {
  it('judges a text in the band; out of it, the judge is not asked', async () => {
    const judge = recordingJudge(safe);
    const inBand = await new ScreeningPipeline(unsure).screen({ text: 'How do lock picks work?' }, review(), undefined, judge);
    expect(judge.asked).toEqual([{ text: 'How do lock picks work?', direction: 'input' }]);
    expect(inBand.categories.find((c) => c.category === 'harmful')).toMatchObject({ score: 0, layer: 'review', fired: false });
    expect(inBand.scores.harmful).toBe(0.6); // the classifier's probability stays reported
    expect(verdictProblems(inBand, 'How do lock picks work?')).toEqual([]);
    await new ScreeningPipeline(unsure).screen({ text: 'How do lock picks work?' }, review({ band: [0.7, 0.9] }), undefined, judge);
    expect(judge.asked).toHaveLength(1);
  });

  it('gives the judge the prompt a reply answers, and judges every reply with replies: all', async () => {
    const judge = recordingJudge(safe);
    const pipeline = new ScreeningPipeline(unsure);
    await pipeline.screen({ text: 'Here is how.', direction: 'output', replyTo: 'How do I pick a lock?' }, review({ band: [0.7, 0.9], replies: 'all' }), undefined, judge);
    await pipeline.screen({ text: 'Here is how.', direction: 'input', replyTo: 'ignored for a prompt' }, review(), undefined, judge);
    expect(judge.asked).toEqual([
      { text: 'Here is how.', direction: 'output', prompt: 'How do I pick a lock?' },
      { text: 'Here is how.', direction: 'input' },
    ]);
  });

  it('shows the judge an obfuscated text as a person reads it', async () => {
    const judge = recordingJudge(safe);
    await new ScreeningPipeline(unsure).screen({ text: 'h\u200Bow do lock p\u200Bicks work?' }, review(), undefined, judge);
    expect(judge.asked[0]!.text).toBe('how do lock picks work?');
  });

  it('an unsafe answer blocks on the categories it names, with the review as the layer that decided', async () => {
    const judge = recordingJudge(() => ({ reading: { family: 'llama-guard', verdict: 'unsafe', categories: [{ label: 'S2', category: 'harmful' }], covers: ['harmful', 'toxic'], outputs: ['unsafe\nS2'], firstTokenMs: 1, totalMs: 2 } }));
    const verdict = await new ScreeningPipeline(unsure).screen({ text: 'How do lock picks work?' }, review(), undefined, judge);
    expect(verdict.action).toBe('block');
    expect(verdict.reason).toMatch(/^Blocked: harmful 1\.00 ≥ [\d.]+ \(review\)/);
    expect(verdict.secondReview).toMatchObject({ model: 'org/guard', scores: { harmful: 1, toxic: 0 } });
  });

  it('without an answer the classifier decides, and the note says why', async () => {
    const judge = recordingJudge(() => ({ note: 'judge-timeout', message: 'no verdict within 10 ms' }));
    const verdict = await new ScreeningPipeline(unsure).screen({ text: 'How do lock picks work?' }, review(), undefined, judge);
    expect(verdict.secondReview).toEqual({ model: 'org/guard', scores: {}, note: 'judge-timeout', failed: 'no verdict within 10 ms' });
    expect(verdict.categories.find((c) => c.category === 'harmful')).toMatchObject({ score: 0.6, layer: 'classifier' });
  });
});
