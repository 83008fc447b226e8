import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decide, describeDecision, redact } from '../../src/policy/decide.js';
import { validatePolicy, type Policy } from '../../src/policy/policy.js';
import { calibratedPreset, POLICY_PRESETS } from '../../src/policy/presets.js';
import type { RuleHit } from '../../src/screen/rules/rule-hit.js';

const schema = JSON.parse(readFileSync(new URL('../../src/policy/policy.schema.json', import.meta.url), 'utf8'));

describe('policy presets', () => {
  for (const [name, preset] of Object.entries(POLICY_PRESETS)) {
    it(`${name} is valid and has every field the JSON Schema requires`, () => {
      expect(validatePolicy(preset)).toEqual([]);
      for (const field of schema.required) expect(preset).toHaveProperty(field);
    });
  }

  it('go from strict to permissive in their thresholds', () => {
    const t = (p: Policy) => p.input.categories.injection!.threshold;
    expect(t(POLICY_PRESETS.strict)).toBeLessThan(t(POLICY_PRESETS.balanced));
    expect(t(POLICY_PRESETS.balanced)).toBeLessThan(t(POLICY_PRESETS.permissive));
  });
});

describe('validatePolicy', () => {
  it('lists every problem by path, not just the first', () => {
    const bad = structuredClone(POLICY_PRESETS.balanced) as unknown as Record<string, any>;
    bad.version = 2;
    bad.input.categories.toxic.threshold = 1.5;
    bad.input.categories.injection.action = 'delete';
    bad.output.categories.harmful = { threshold: 0.5, action: 'redact' };
    bad.topics.deny.weapons = [];
    bad.conversation.decay = -1;
    bad.failureMode = 'sometimes';
    bad.extra = true;
    const paths = validatePolicy(bad).map((p) => p.path);
    expect(paths).toEqual(expect.arrayContaining([
      'version', 'input.categories.toxic.threshold', 'input.categories.injection.action',
      'output.categories.harmful.action', 'topics.deny.weapons', 'conversation.decay', 'failureMode', 'extra',
    ]));
  });

  it('refuses non-objects', () => {
    expect(validatePolicy(null)).toEqual([{ path: '', message: 'a policy must be a JSON object' }]);
  });
});

describe('decide', () => {
  const rules = POLICY_PRESETS.balanced.input;

  it('takes the most severe action of the categories that fire', () => {
    const { action, categories } = decide([
      { category: 'injection', score: 0.9, layer: 'classifier' },
      { category: 'pii', score: 1, layer: 'rules' },
      { category: 'toxic', score: 0.1, layer: 'classifier' },
    ], rules);
    expect(action).toBe('block');
    expect(categories.filter((c) => c.fired).map((c) => c.category)).toEqual(['pii', 'injection']);
  });

  it('allows what stays under every threshold, and ignores categories the policy does not name', () => {
    expect(decide([{ category: 'injection', score: 0.2, layer: 'classifier' }, { category: 'made-up', score: 1, layer: 'rules' }], rules).action).toBe('allow');
  });

  it('scales classifier thresholds for repeat offenders, not rule ones', () => {
    const scores = [{ category: 'injection', score: 0.45, layer: 'classifier' as const }];
    expect(decide(scores, rules).action).toBe('allow');
    expect(decide(scores, rules, 0.8).action).toBe('block');
  });

  it('says why in one line', () => {
    const { action, categories } = decide([{ category: 'injection', score: 0.93, layer: 'classifier', view: 'decoded' }], rules);
    expect(describeDecision(action, categories)).toBe('Blocked: injection 0.93 ≥ 0.50 (classifier, decoded).');
    expect(describeDecision('allow', [])).toBe('Allowed: nothing reached its threshold.');
  });
});

describe('redact', () => {
  const hit = (category: 'pii' | 'secrets', span: [number, number], placeholder: string): RuleHit =>
    ({ rule: `${category}.x`, category, span, placeholder, source: 'original' });

  it('replaces fired spans with their placeholders and keeps the rest of the text', () => {
    const text = 'mail a@b.io, call +44 20 7946 0958';
    const hits = [hit('pii', [5, 11], '[EMAIL]'), hit('pii', [18, 34], '[PHONE]')];
    const { categories } = decide([{ category: 'pii', score: 1, layer: 'rules' }], POLICY_PRESETS.balanced.input);
    expect(redact(text, hits, categories)).toBe('mail [EMAIL], call [PHONE]');
  });

  it('leaves spans of categories that did not fire as they are', () => {
    expect(redact('key sk-1', [hit('secrets', [4, 8], '[SECRET]')], [])).toBe('key sk-1');
  });
});

describe('validatePolicy: the multilingual reader', () => {
  const withReader = (multilingual: unknown) => {
    const policy = structuredClone(POLICY_PRESETS.balanced);
    return { ...policy, language: { ...policy.language!, multilingual } };
  };
  const problems = (multilingual: unknown) => validatePolicy(withReader(multilingual)).map((p) => p.path);

  it('accepts a model source and the languages it reads', () => {
    expect(problems({ model: { url: '/models/guard-use-m3/' }, languages: ['zh'] })).toEqual([]);
    expect(problems({ model: { name: 'guard-use-m3', dtype: 'q8' }, languages: ['zh', 'fr', 'yue'] })).toEqual([]);
  });

  it('needs exactly one model source, language codes as fastText labels them, and no unknown field', () => {
    expect(problems('guard-use-m3')).toEqual(['language.multilingual']);
    expect(problems({ model: { url: '/a/', hub: 'o/b' }, languages: ['zh'] })).toEqual(['language.multilingual.model']);
    expect(problems({ model: { url: '/a/' }, languages: [] })).toEqual(['language.multilingual.languages']);
    expect(problems({ model: { url: '/a/' }, languages: ['Chinese'] })).toEqual(['language.multilingual.languages']);
    expect(problems({ model: { url: '/a/' } })).toEqual(['language.multilingual.languages']);
    expect(problems({ model: { url: '/a/' }, languages: ['zh'], band: [0.2, 0.8] })).toEqual(['language.multilingual.band']);
  });
});

describe('validatePolicy: second review', () => {
  const withReview = (secondReview: unknown) => ({ ...structuredClone(POLICY_PRESETS.balanced), secondReview });

  it('accepts a model source and a band', () => {
    expect(validatePolicy(withReview({ model: { hub: 'org/big-guard' }, band: [0.3, 0.7] }))).toEqual([]);
  });

  it('needs exactly one model source and a band with low below high', () => {
    const paths = validatePolicy(withReview({ model: { url: '/a/', hub: 'o/b' }, band: [0.7, 0.3] })).map((p) => p.path);
    expect(paths).toEqual(['secondReview.model', 'secondReview.band']);
  });

  it('accepts a classifier review by margin (the cascade), with the labels it decides', () => {
    expect(validatePolicy(withReview({ model: { name: 'guard-minilm' }, margin: [2, 1], labels: ['injection', 'jailbreak'] }))).toEqual([]);
    expect(validatePolicy(withReview({ kind: 'classifier', model: { url: '/m/' }, margin: [0, 3] }))).toEqual([]);
  });

  it('needs exactly one of band and margin, a margin of logits, named labels, and no unknown field', () => {
    const problems = (review: Record<string, unknown>) => validatePolicy(withReview({ model: { name: 'guard-minilm' }, ...review })).map((p) => p.path);
    expect(problems({})).toEqual(['secondReview']);
    expect(problems({ band: [0.2, 0.8], margin: [1, 1] })).toEqual(['secondReview']);
    expect(problems({ margin: [-1, 21] })).toEqual(['secondReview.margin.0', 'secondReview.margin.1']);
    expect(problems({ margin: [0, 0] })).toEqual(['secondReview.margin']);
    expect(problems({ margin: [1] })).toEqual(['secondReview.margin']);
    expect(problems({ margin: [2, 1], labels: [] })).toEqual(['secondReview.labels']);
    expect(problems({ margin: [2, 1], labels: ['injection', 3] })).toEqual(['secondReview.labels']);
    expect(problems({ margin: [2, 1], timeoutMs: 100 })).toEqual(['secondReview.timeoutMs']);
  });

  it('gives replies their own margin and labels in a margin review only, each checked as the prompts\' are', () => {
    const problems = (review: Record<string, unknown>) => validatePolicy(withReview({ model: { name: 'guard-minilm' }, ...review })).map((p) => p.path);
    expect(problems({ margin: [2, 1], labels: ['injection'], output: { margin: [2, 0], labels: ['harmful'] } })).toEqual([]);
    expect(problems({ margin: [2, 1], output: { labels: ['harmful'] } })).toEqual([]);
    expect(problems({ band: [0.2, 0.8], output: { labels: ['harmful'] } })).toEqual(['secondReview.output']);
    expect(problems({ margin: [2, 1], output: { margin: [0, 0], labels: [] } })).toEqual(['secondReview.output.margin', 'secondReview.output.labels']);
    expect(problems({ margin: [2, 1], output: { margin: [2, 25] } })).toEqual(['secondReview.output.margin.1']);
    expect(problems({ margin: [2, 1], output: { band: [0.2, 0.8] } })).toEqual(['secondReview.output.band']);
    expect(problems({ margin: [2, 1], output: 'harmful' })).toEqual(['secondReview.output']);
  });

  it('accepts an llm review of a hub model, its family named or guessed from the id', () => {
    expect(validatePolicy(withReview({ kind: 'llm', model: { hub: 'meta-llama/Llama-Guard-3-1B' }, band: [0.2, 0.8] }))).toEqual([]);
    expect(validatePolicy(withReview({
      kind: 'llm', model: { hub: 'org/my-guard', revision: 'v2', host: 'https://mirror.internal', sha256: { 'onnx/model_q4.onnx': 'ab' } },
      family: 'qwen-guard', dtype: 'q4', device: 'wasm', band: [0, 1], replies: 'all', timeoutMs: 5000, controversial: 'unsafe',
    }))).toEqual([]);
  });

  it('says what is wrong with an llm review, field by field', () => {
    const problems = (review: Record<string, unknown>) => validatePolicy(withReview({ kind: 'llm', band: [0.2, 0.8], ...review })).map((p) => p.path);
    expect(problems({ model: { hub: 'org/my-guard' } })).toEqual(['secondReview.family']);
    expect(problems({ model: { url: '/judge/' } })).toEqual(['secondReview.model']);
    expect(problems({ model: { hub: 'not a hub id' } })).toEqual(['secondReview.model']);
    expect(problems({ model: { hub: 'google/shieldgemma-2b' }, dtype: 'int3', device: 'npu', replies: 'some', controversial: 'maybe', timeoutMs: 10, extra: 1 }))
      .toEqual(['secondReview.dtype', 'secondReview.device', 'secondReview.replies', 'secondReview.controversial', 'secondReview.timeoutMs', 'secondReview.extra']);
    expect(validatePolicy(withReview({ kind: 'judge', model: { hub: 'a/b' }, band: [0, 1] })).map((p) => p.path)).toEqual(['secondReview.kind']);
  });
});

describe('calibratedPreset', () => {
  const calibration = { injection: { default: 0.9, fpr1: 0.9, fpr01: 0.97 }, toxic: { default: 0.6, fpr1: 0.6 } };

  it('takes classifier thresholds from the model\'s calibration: default for balanced, 0.1% for permissive, 0.8× for strict', () => {
    expect(calibratedPreset('balanced', calibration).input.categories.injection!.threshold).toBe(0.9);
    expect(calibratedPreset('permissive', calibration).input.categories.injection!.threshold).toBe(0.97);
    expect(calibratedPreset('strict', calibration).input.categories.injection!.threshold).toBeCloseTo(0.72, 12);
    expect(calibratedPreset('permissive', calibration).output.categories.toxic!.threshold).toBe(0.6); // no 0.1% figure: the default
  });

  it('uses a lower 1%-per-label threshold for strict where the default is an any-label one', () => {
    const anyLabel = { injection: { default: 0.95, fpr1: 0.8, fpr01: 0.99 } };
    expect(calibratedPreset('balanced', anyLabel).input.categories.injection!.threshold).toBe(0.95);
    expect(calibratedPreset('strict', anyLabel).input.categories.injection!.threshold).toBe(0.8);
  });

  it('gives replies (the output direction) their own calibrated threshold where the model has one', () => {
    const withReplies = { harmful: { default: 0.77, fpr1: 0.5, fpr01: 0.94, output: 0.43 }, toxic: { default: 0.88, fpr1: 0.8 } };
    const balanced = calibratedPreset('balanced', withReplies);
    expect(balanced.input.categories.harmful!.threshold).toBe(0.77);
    expect(balanced.output.categories.harmful!.threshold).toBe(0.43);
    expect(balanced.output.categories.toxic!.threshold).toBe(0.88); // no reply calibration: the input one
    expect(calibratedPreset('strict', withReplies).output.categories.harmful!.threshold).toBeCloseTo(0.344, 12);
    expect(calibratedPreset('permissive', withReplies).output.categories.harmful!.threshold).toBe(0.94);
  });

  it('leaves labels without calibration, rule categories and the presets themselves alone', () => {
    const fitted = calibratedPreset('balanced', calibration);
    expect(fitted.input.categories.harmful!.threshold).toBe(POLICY_PRESETS.balanced.input.categories.harmful!.threshold);
    expect(fitted.input.categories.pii).toEqual(POLICY_PRESETS.balanced.input.categories.pii);
    expect(POLICY_PRESETS.balanced.input.categories.injection!.threshold).toBe(0.5);
    expect(validatePolicy(fitted)).toEqual([]);
  });
});
