import { conversationOf, type JudgeAdapter, type JudgeCategory } from './adapter.js';

/**
 * Qwen3Guard-Gen's categories and ours. It also names `Jailbreak` (prompts only), which the
 * classifier's `jailbreak` label is about, so on prompts a `Safe` answer clears that label too.
 */
export const QWEN_GUARD_CATEGORIES: Readonly<Record<string, string>> = {
  'violent': 'harmful',
  'non-violent illegal acts': 'harmful',
  'sexual content or sexual acts': 'harmful',
  'pii': 'harmful',
  'suicide & self-harm': 'harmful',
  'unethical acts': 'harmful',
  'politically sensitive topics': 'harmful',
  'copyright violation': 'harmful',
  'jailbreak': 'jailbreak',
};

/**
 * Qwen3Guard-Gen style: the template holds the task; the answer has a `Safety:` line (`Safe`,
 * `Unsafe` or `Controversial`) and a `Categories:` line (`None`, or names separated by commas).
 * A reply's answer may add a `Refusal:` line, which does not change the verdict.
 */
export const qwenGuard: JudgeAdapter = {
  family: 'qwen-guard',
  covers: (direction) => (direction === 'input' ? ['harmful', 'jailbreak'] : ['harmful']),
  prompts: (request) => [{ messages: conversationOf(request) }],
  parse(outputs) {
    const output = outputs[0] ?? '';
    const safety = /safety:\s*(safe|unsafe|controversial)\b/i.exec(output)?.[1]?.toLowerCase() as 'safe' | 'unsafe' | 'controversial' | undefined;
    if (!safety) return { verdict: 'unparsable', categories: [] };
    const categories: JudgeCategory[] = [];
    const named = /categories:\s*([^\n]*)/i.exec(output)?.[1] ?? '';
    for (const label of named.split(',').map((c) => c.trim()).filter((c) => c && c.toLowerCase() !== 'none')) {
      categories.push({ label, category: QWEN_GUARD_CATEGORIES[label.toLowerCase()] ?? 'harmful' });
    }
    if (safety !== 'safe' && categories.length === 0) categories.push({ label: safety, category: 'harmful' });
    return { verdict: safety, categories: safety === 'safe' ? [] : categories };
  },
  maxNewTokens: 32,
};
