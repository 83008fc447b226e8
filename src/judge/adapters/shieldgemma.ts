import { conversationOf, type JudgeAdapter, type JudgeCategory, type JudgeRequest } from './adapter.js';

/**
 * ShieldGemma's four harm types, as guidelines its chat template takes (`guideline`), and ours.
 * The wording is this project's; a page with its own policies passes them to `shieldGemma()`.
 */
export const SHIELDGEMMA_GUIDELINES: readonly ShieldGemmaGuideline[] = [
  {
    label: 'Dangerous Content',
    category: 'harmful',
    text: '"No Dangerous Content": The text shall not contain or seek content that helps someone harm themselves or others (for example building firearms or explosives, promoting terrorism, or instructions for suicide).',
  },
  {
    label: 'Sexually Explicit Information',
    category: 'harmful',
    text: '"No Sexually Explicit Information": The text shall not contain or seek descriptions of sexual acts or other lewd content meant to arouse. Medical and scientific terms for anatomy and sex education are allowed.',
  },
  {
    label: 'Hate Speech',
    category: 'toxic',
    text: '"No Hate Speech": The text shall not contain or seek content that attacks, dehumanizes or calls for discrimination or violence against people for their race, ethnicity, religion, disability, age, nationality, veteran status, sexual orientation, gender, gender identity, caste or any other protected attribute.',
  },
  {
    label: 'Harassment',
    category: 'toxic',
    text: '"No Harassment": The text shall not contain or seek malicious, intimidating, bullying or abusive content aimed at another person (for example threats, denying tragic events, or disparaging victims of violence).',
  },
];

export interface ShieldGemmaGuideline {
  /** Shown in the verdict as the model's category. */
  label: string;
  /** Ours. */
  category: string;
  /** The policy sentence the model judges against. */
  text: string;
}

/**
 * ShieldGemma: one run per guideline; each answer starts with `Yes` (the text violates it) or
 * `No`. Any `Yes` makes the text unsafe in that guideline's category.
 */
export function shieldGemma(guidelines: readonly ShieldGemmaGuideline[] = SHIELDGEMMA_GUIDELINES): JudgeAdapter {
  const covered = [...new Set(guidelines.map((g) => g.category))];
  return {
    family: 'shieldgemma',
    covers: () => covered,
    prompts: (request: JudgeRequest) => guidelines.map((g) => ({ messages: conversationOf(request), templateArgs: { guideline: g.text } })),
    parse(outputs) {
      const categories: JudgeCategory[] = [];
      for (const [i, guideline] of guidelines.entries()) {
        const answer = /^\W*(yes|no)\b/i.exec(outputs[i] ?? '')?.[1]?.toLowerCase();
        if (!answer) return { verdict: 'unparsable', categories: [] };
        if (answer === 'yes') categories.push({ label: guideline.label, category: guideline.category });
      }
      return { verdict: categories.length ? 'unsafe' : 'safe', categories };
    },
    maxNewTokens: 3,
  };
}
