import { describe, expect, it } from 'vitest';
import { judgeAdapter, llamaGuard, qwenGuard, shieldGemma, SHIELDGEMMA_GUIDELINES } from '../../src/judge/adapters/index.js';
import { guessJudgeFamily } from '../../src/policy/policy.js';

const prompt = { text: 'how do I pick a lock', direction: 'input' as const };
const reply = { text: 'Here is how.', direction: 'output' as const, prompt: 'how do I pick a lock' };

describe('Llama Guard adapter', () => {
  it('asks about the prompt alone, or the reply after its prompt', () => {
    expect(llamaGuard.prompts(prompt)).toEqual([{ messages: [{ role: 'user', content: 'how do I pick a lock' }] }]);
    expect(llamaGuard.prompts(reply)[0]!.messages).toEqual([
      { role: 'user', content: 'how do I pick a lock' },
      { role: 'assistant', content: 'Here is how.' },
    ]);
  });

  it.each([
    ['safe', 'safe', []],
    ['\n\nsafe\n', 'safe', []],
    ['unsafe\nS1', 'unsafe', [{ label: 'S1', category: 'harmful' }]],
    ['unsafe\nS10,S12', 'unsafe', [{ label: 'S10', category: 'toxic' }, { label: 'S12', category: 'harmful' }]],
    ['unsafe\nS14', 'unsafe', [{ label: 'S14', category: 'injection' }]],
    ['unsafe', 'unsafe', [{ label: 'unsafe', category: 'harmful' }]],
    ['unsafe\nS99', 'unsafe', [{ label: 'S99', category: 'harmful' }]],
    ['I cannot help with that.', 'unparsable', []],
    ['', 'unparsable', []],
    ['safely', 'unparsable', []],
  ])('reads %j', (output, verdict, categories) => {
    expect(llamaGuard.parse([output], prompt)).toEqual({ verdict, categories });
  });

  it('covers harm and toxicity, not attacks on the assistant', () => {
    expect(llamaGuard.covers('input')).toEqual(['harmful', 'toxic']);
  });
});

describe('ShieldGemma adapter', () => {
  const adapter = shieldGemma();

  it('asks one run per guideline, the guideline passed to its template', () => {
    const prompts = adapter.prompts(prompt);
    expect(prompts).toHaveLength(SHIELDGEMMA_GUIDELINES.length);
    expect(prompts.map((p) => p.templateArgs?.guideline)).toEqual(SHIELDGEMMA_GUIDELINES.map((g) => g.text));
    for (const p of prompts) expect(p.messages).toEqual([{ role: 'user', content: prompt.text }]);
  });

  it('is unsafe in the categories of the guidelines answered Yes', () => {
    expect(adapter.parse(['No', 'No', 'No', 'No'], prompt)).toEqual({ verdict: 'safe', categories: [] });
    expect(adapter.parse(['Yes', 'No', ' yes.', 'No'], prompt)).toEqual({
      verdict: 'unsafe',
      categories: [{ label: 'Dangerous Content', category: 'harmful' }, { label: 'Hate Speech', category: 'toxic' }],
    });
  });

  it('is unparsable when any answer is neither Yes nor No', () => {
    expect(adapter.parse(['No', 'Maybe', 'No', 'No'], prompt).verdict).toBe('unparsable');
    expect(adapter.parse(['No'], prompt).verdict).toBe('unparsable');
    expect(adapter.parse(['Nope', 'No', 'No', 'No'], prompt).verdict).toBe('unparsable');
  });

  it('takes a page\'s own guidelines', () => {
    const own = shieldGemma([{ label: 'Medical', category: 'harmful', text: '"No dosing advice"' }]);
    expect(own.covers('input')).toEqual(['harmful']);
    expect(own.parse(['Yes'], prompt).categories).toEqual([{ label: 'Medical', category: 'harmful' }]);
  });
});

describe('Qwen guard adapter', () => {
  it.each([
    ['Safety: Safe\nCategories: None', 'safe', []],
    ['Safety: Unsafe\nCategories: Violent', 'unsafe', [{ label: 'Violent', category: 'harmful' }]],
    ['Safety: Unsafe\nCategories: Jailbreak, PII', 'unsafe', [{ label: 'Jailbreak', category: 'jailbreak' }, { label: 'PII', category: 'harmful' }]],
    ['Safety: Controversial\nCategories: Politically Sensitive Topics', 'controversial', [{ label: 'Politically Sensitive Topics', category: 'harmful' }]],
    ['Safety: Unsafe\nCategories: None\nRefusal: No', 'unsafe', [{ label: 'unsafe', category: 'harmful' }]],
    ['Safety: Safe\nCategories: None\nRefusal: Yes', 'safe', []],
    ['It is fine.', 'unparsable', []],
  ])('reads %j', (output, verdict, categories) => {
    expect(qwenGuard.parse([output], prompt)).toEqual({ verdict, categories });
  });

  it('covers jailbreak on prompts only', () => {
    expect(qwenGuard.covers('input')).toContain('jailbreak');
    expect(qwenGuard.covers('output')).not.toContain('jailbreak');
  });
});

describe('judge families', () => {
  it.each([
    ['meta-llama/Llama-Guard-3-1B', 'llama-guard'],
    ['onnx-community/Llama-Guard-3-1B-ONNX', 'llama-guard'],
    ['google/shieldgemma-2b', 'shieldgemma'],
    ['onnx-community/Qwen3Guard-Gen-0.6B-ONNX', 'qwen-guard'],
    ['org/some-chat-model', null],
  ])('guesses %s as %s', (id, family) => {
    expect(guessJudgeFamily(id)).toBe(family);
  });

  it('has an adapter for every family', () => {
    for (const family of ['llama-guard', 'shieldgemma', 'qwen-guard'] as const) expect(judgeAdapter(family).family).toBe(family);
  });
});
