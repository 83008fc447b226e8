import { describe, expect, it } from 'vitest';
import { POLICY_PRESETS } from '../../src/policy/presets.js';
import { seededRandom } from '../../src/redteam/seeded-random.js';
import { ScreeningPipeline, type LayerSwitches } from '../../src/screen/pipeline.js';
import { badInputs } from '../bad-inputs.js';
import { fuzzCase } from '../fuzz-text.js';
import { verdictProblems } from '../verdict-shape.js';

// The whole pipeline (normalize, rules, conversation, policy) but the classifier, which needs
// the browser: test/browser/bad-input.test.ts runs a sample of the same cases with it.
const NO_CLASSIFIER: LayerSwitches = { normalize: true, rules: true, classifier: false, conversation: true };
const policy = POLICY_PRESETS.balanced!;
const pipeline = () => new ScreeningPipeline(() => {
  throw new Error('the classifier layer is off');
});

describe('fuzz: the screening pipeline on seeded random unicode and encodings', () => {
  it('4,000 cases: no exception escapes, every verdict is well formed', async () => {
    const random = seededRandom(8_2026);
    const screen = pipeline();
    const actions: Record<string, number> = {};
    let encoded = 0;
    for (let i = 0; i < 4_000; i++) {
      const { text, layers } = fuzzCase(random);
      if (layers.length > 0) encoded++;
      const verdict = await screen.screen({ text, direction: i % 3 === 0 ? 'output' : 'input', conversation: `c${i % 7}` }, policy, NO_CLASSIFIER);
      expect(verdictProblems(verdict, text), `case ${i}: ${JSON.stringify(text.slice(0, 80))}`).toEqual([]);
      actions[verdict.action] = (actions[verdict.action] ?? 0) + 1;
    }
    console.log(`pipeline fuzz: 4000 cases (${encoded} with 1–5 encoding layers), actions ${JSON.stringify(actions)}`);
    expect(Object.values(actions).reduce((a, b) => a + b, 0)).toBe(4_000);
  }, 120_000);

  it('the bad inputs give well-formed verdicts; attacks hidden by unicode or nested encodings (within or past the decode depth) are blocked', async () => {
    const screen = pipeline();
    const lines: string[] = [];
    for (const { name, text, attack } of badInputs()) {
      const started = performance.now();
      const verdict = await screen.screen({ text }, policy, NO_CLASSIFIER);
      lines.push(`  ${name} (${text.length} UTF-16 units): ${verdict.action} in ${(performance.now() - started).toFixed(1)} ms`);
      expect(verdictProblems(verdict, text), name).toEqual([]);
      if (attack) expect(verdict.action, name).toBe('block');
    }
    console.log(`bad inputs, pipeline without the classifier:\n${lines.join('\n')}`);
  }, 60_000);
});
