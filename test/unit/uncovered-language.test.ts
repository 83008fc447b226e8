import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decide, describeDecision } from '../../src/policy/decide.js';
import { validatePolicy, type LanguagePolicy } from '../../src/policy/policy.js';
import { POLICY_PRESETS } from '../../src/policy/presets.js';
import { applyLanguagePolicy, describeLanguage, NOT_CHECKED, NOT_COVERED } from '../../src/policy/uncovered-language.js';
import type { LanguageVerdict } from '../../src/policy/verdict.js';
import type { CategoryScore } from '../../src/policy/decide.js';

const schema = JSON.parse(readFileSync(new URL('../../src/policy/policy.schema.json', import.meta.url), 'utf8'));

const FRENCH: LanguageVerdict = { language: 'fr', confidence: 0.98, uncoveredShare: 0.99, covered: false, basis: 'language' };
const ENGLISH: LanguageVerdict = { language: 'en', confidence: 0.95, uncoveredShare: 0.02, covered: true, basis: 'language' };
const rules = POLICY_PRESETS.balanced.input;
const policy = (uncovered: LanguagePolicy['uncovered']): LanguagePolicy => ({ covered: ['en'], uncovered });

/** decide() then the language policy, as the pipeline does. */
function judge(scores: CategoryScore[], language: LanguageVerdict, languagePolicy: LanguagePolicy) {
  return applyLanguagePolicy(decide(scores, rules), language, languagePolicy);
}

const INJECTION: CategoryScore = { category: 'injection', score: 0.93, layer: 'classifier' };
const ESCALATION: CategoryScore = { category: 'conversation:escalation', score: 0.8, layer: 'conversation' };
const SECRET: CategoryScore = { category: 'secrets', score: 1, layer: 'rules', view: 'original' };
const PII: CategoryScore = { category: 'pii', score: 1, layer: 'rules', view: 'original' };
const ATTACK_RULE: CategoryScore = { category: 'injection', score: 1, layer: 'rules', view: 'original' };

describe('uncovered language, default "warn": classifier scores warn, rules act', () => {
  it('lowers a classifier block to warn, keeps the score, and says what it was', () => {
    const { action, categories } = judge([INJECTION], FRENCH, policy('warn'));
    expect(action).toBe('warn');
    expect(categories.find((c) => c.category === 'injection')).toMatchObject({ score: 0.93, fired: true, action: 'warn', loweredFrom: 'block' });
    expect(categories.find((c) => c.category === NOT_COVERED)).toMatchObject({ action: 'warn', fired: true, layer: 'language', score: 0.99, threshold: 0.9 });
  });

  it('does not lower a category a rule also hit, even where the classifier\'s score holds it', () => {
    const saturated: CategoryScore = { category: 'injection', score: 1, layer: 'classifier' };
    expect(applyLanguagePolicy(decide([saturated], rules), FRENCH, policy('warn'), new Set(['injection'])).action).toBe('block');
    expect(applyLanguagePolicy(decide([saturated], rules), FRENCH, policy('warn'), new Set(['pii'])).action).toBe('warn');
  });

  it('lowers the conversation escalation too: it adds up classifier scores', () => {
    expect(judge([ESCALATION], FRENCH, policy('warn')).action).toBe('warn');
  });

  it('warns a benign text that nothing else flagged', () => {
    expect(judge([{ category: 'injection', score: 0.1, layer: 'classifier' }], FRENCH, policy('warn')).action).toBe('warn');
  });

  it('still blocks on a rule hit (attack pattern) and still redacts secrets and PII', () => {
    expect(judge([ATTACK_RULE, INJECTION], FRENCH, policy('warn')).action).toBe('block');
    expect(judge([SECRET, INJECTION], FRENCH, policy('warn')).action).toBe('redact');
    const pii = judge([PII], FRENCH, policy('warn'));
    expect(pii.action).toBe('redact');
    expect(pii.categories.find((c) => c.category === 'pii')).toMatchObject({ action: 'redact', fired: true });
    expect(pii.categories.find((c) => c.category === 'pii')).not.toHaveProperty('loweredFrom');
  });

  it('changes nothing for a covered text', () => {
    const decided = decide([INJECTION], rules);
    expect(applyLanguagePolicy(decided, ENGLISH, policy('warn'))).toBe(decided);
    expect(applyLanguagePolicy(decided, { ...FRENCH, covered: true, basis: 'short-text' }, policy('block'))).toBe(decided);
  });

  it('gives a reason that says the language and what it changed', () => {
    const { action, categories } = judge([INJECTION], FRENCH, policy('warn'));
    expect(describeDecision(action, categories) + describeLanguage(FRENCH, policy('warn'))).toBe(
      'Warning: language:not-covered 0.99 ≥ 0.90 (language); injection 0.93 ≥ 0.50 (classifier). '
      + 'Language fr (0.98) is not covered by the classifiers: their scores warn, not block; rules apply as usual.');
    expect(describeLanguage(ENGLISH, policy('warn'))).toBe('');
  });
});

describe('uncovered language, the other modes', () => {
  it('"screen": judged as if covered, the language listed but not fired', () => {
    const { action, categories } = judge([INJECTION], FRENCH, policy('screen'));
    expect(action).toBe('block');
    expect(categories.find((c) => c.category === NOT_COVERED)).toMatchObject({ action: 'allow', fired: false });
    expect(judge([], FRENCH, policy('screen')).action).toBe('allow');
  });

  it('"block": blocks whatever else was found', () => {
    expect(judge([], FRENCH, policy('block')).action).toBe('block');
    expect(judge([PII], FRENCH, policy('block')).action).toBe('block');
  });

  it('uses the policy\'s minShare as the threshold it reports', () => {
    const { categories } = judge([], FRENCH, { ...policy('warn'), minShare: 0.8 });
    expect(categories.find((c) => c.category === NOT_COVERED)!.threshold).toBe(0.8);
  });
});

describe('the policy\'s language section', () => {
  it('the presets cover English: balanced and permissive warn, strict screens as usual', () => {
    expect(POLICY_PRESETS.balanced.language).toEqual({ covered: ['en'], uncovered: 'warn' });
    expect(POLICY_PRESETS.permissive.language).toEqual({ covered: ['en'], uncovered: 'warn' });
    expect(POLICY_PRESETS.strict.language).toEqual({ covered: ['en'], uncovered: 'screen' });
  });

  it('is optional (the step is then off) and validated by path when present', () => {
    const { language: _, ...without } = structuredClone(POLICY_PRESETS.balanced);
    expect(validatePolicy(without)).toEqual([]);
    expect(validatePolicy({ ...without, language: { covered: ['en', 'fr'], uncovered: 'block', minShare: 0.8, minWords: 4 } })).toEqual([]);
    const paths = validatePolicy({ ...without, language: { covered: ['English'], uncovered: 'ignore', minShare: 2, minWords: 0, extra: 1 } }).map((p) => p.path);
    expect(paths).toEqual(['language.covered', 'language.uncovered', 'language.minShare', 'language.minWords', 'language.extra']);
    expect(validatePolicy({ ...without, language: { covered: [], uncovered: 'warn' } }).map((p) => p.path)).toEqual(['language.covered']);
  });

  it('the JSON Schema describes the same fields and modes', () => {
    const language = schema.properties.language;
    expect(language.required).toEqual(['covered', 'uncovered']);
    expect(language.properties.uncovered.enum).toEqual(['warn', 'screen', 'block']);
    expect(Object.keys(language.properties).sort()).toEqual(['covered', 'minShare', 'minWords', 'multilingual', 'uncovered', 'unavailable'].sort());
    expect(language.properties.multilingual.required).toEqual(['model', 'languages']);
    expect(Object.keys(language.properties.multilingual.properties).sort()).toEqual(['languages', 'model']);
  });
});

describe('language-id model unavailable', () => {
  const UNCHECKED: LanguageVerdict = { language: 'und', confidence: 0, uncoveredShare: 0, covered: true, basis: 'unavailable', failed: 'language-id: offline' };
  const SHORT_UNCHECKED: LanguageVerdict = { ...UNCHECKED, basis: 'short-text' };

  it('by default ("screen") classifier scores decide as for covered text, and the reason says the language was not checked', () => {
    for (const uncovered of ['warn', 'screen', 'block'] as const) {
      expect(judge([INJECTION], UNCHECKED, policy(uncovered))).toEqual(decide([INJECTION], rules));
      expect(describeLanguage(UNCHECKED, policy(uncovered))).toBe(' Language not checked (the language-id model is unavailable): classifier scores decide as for covered text; rules apply as usual.');
    }
    expect(judge([], UNCHECKED, policy('warn')).action).toBe('allow');
  });

  it('"block" fails closed on a text long enough to judge, and not on a short one', () => {
    const failClosed: LanguagePolicy = { ...policy('warn'), unavailable: 'block' };
    const { action, categories } = judge([], UNCHECKED, failClosed);
    expect(action).toBe('block');
    expect(categories[0]).toMatchObject({ category: NOT_CHECKED, fired: true, action: 'block', layer: 'language' });
    expect(describeLanguage(UNCHECKED, failClosed)).toBe(' Language not checked (the language-id model is unavailable): the policy blocks such text.');
    expect(judge([], SHORT_UNCHECKED, failClosed).action).toBe('allow');
    expect(describeLanguage(SHORT_UNCHECKED, failClosed)).toContain('classifier scores decide');
  });

  it('validates the field', () => {
    expect(validatePolicy({ ...POLICY_PRESETS.balanced, language: { ...policy('warn'), unavailable: 'block' } })).toEqual([]);
    expect(validatePolicy({ ...POLICY_PRESETS.balanced, language: { ...policy('warn'), unavailable: 'ignore' } as unknown as LanguagePolicy }))
      .toEqual([{ path: 'language.unavailable', message: 'must be one of screen, block' }]);
  });
});
