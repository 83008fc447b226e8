import { conversationOf, type JudgeAdapter, type JudgeCategory } from './adapter.js';

/**
 * Llama Guard 3's hazard taxonomy (S1–S14) and ours. Llama Guard judges harm, not attacks on
 * the assistant: S14 (code interpreter abuse) is the one code near an injection, so it raises
 * `injection`, but a `safe` answer does not clear the classifier's injection or jailbreak score.
 */
export const LLAMA_GUARD_CATEGORIES: Readonly<Record<string, { name: string; category: string }>> = {
  S1: { name: 'Violent Crimes', category: 'harmful' },
  S2: { name: 'Non-Violent Crimes', category: 'harmful' },
  S3: { name: 'Sex-Related Crimes', category: 'harmful' },
  S4: { name: 'Child Sexual Exploitation', category: 'harmful' },
  S5: { name: 'Defamation', category: 'toxic' },
  S6: { name: 'Specialized Advice', category: 'harmful' },
  S7: { name: 'Privacy', category: 'harmful' },
  S8: { name: 'Intellectual Property', category: 'harmful' },
  S9: { name: 'Indiscriminate Weapons', category: 'harmful' },
  S10: { name: 'Hate', category: 'toxic' },
  S11: { name: 'Suicide & Self-Harm', category: 'harmful' },
  S12: { name: 'Sexual Content', category: 'harmful' },
  S13: { name: 'Elections', category: 'harmful' },
  S14: { name: 'Code Interpreter Abuse', category: 'injection' },
};

/**
 * Llama Guard (3; 2 reads the same way): the chat template holds the task and the taxonomy;
 * the answer is `safe`, or `unsafe` and a line of codes (`S1,S10`).
 */
export const llamaGuard: JudgeAdapter = {
  family: 'llama-guard',
  covers: () => ['harmful', 'toxic'],
  // Llama Guard judges the last turn of a conversation; a reply with no known prompt gets an
  // empty user turn before it, which its template accepts.
  prompts: (request) => [{ messages: conversationOf(request) }],
  parse(outputs) {
    const lines = (outputs[0] ?? '').trim().split(/\r?\n/).map((line) => line.trim()).filter(Boolean);
    const first = lines[0]?.toLowerCase();
    if (first === 'safe') return { verdict: 'safe', categories: [] };
    if (first !== 'unsafe') return { verdict: 'unparsable', categories: [] };
    const categories: JudgeCategory[] = [];
    for (const code of (lines[1] ?? '').split(/[\s,]+/).filter(Boolean)) {
      const known = LLAMA_GUARD_CATEGORIES[code.toUpperCase()];
      // A code outside the taxonomy still means unsafe: it counts as harmful rather than nothing.
      categories.push({ label: code, category: known?.category ?? 'harmful' });
    }
    if (categories.length === 0) categories.push({ label: 'unsafe', category: 'harmful' });
    return { verdict: 'unsafe', categories };
  },
  maxNewTokens: 24,
};
