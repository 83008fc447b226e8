import { modelDisplayName } from '../store/model-source.js';
import { severity } from './decide.js';
import type { Action, LanguagePolicy } from './policy.js';
import type { CategoryVerdict, LanguageVerdict } from './verdict.js';

/** The category a text not covered by the classifiers' languages gets. */
export const NOT_COVERED = 'language:not-covered';

/** The category a text gets when its language could not be checked and the policy fails closed. */
export const NOT_CHECKED = 'language:not-checked';

/**
 * Whether a category's score comes from the classifiers: their own labels, the second review's,
 * and the conversation escalation, which adds up their scores over the turns. Rules and the
 * turn limit do not read the language.
 */
const fromClassifiers = (c: CategoryVerdict) => c.layer === 'classifier' || c.layer === 'review' || c.category === 'conversation:escalation';

/**
 * How a text's language changes the policy's decision. Covered text: unchanged. Otherwise, by
 * `policy.uncovered`:
 * - `warn`: a fired category scored by the classifiers acts at most as `warn` (its `loweredFrom`
 *   keeps what the policy gave it), unless a rule also hit it (`ruleHits`: the category holds the
 *   higher score, and a classifier that saturates at 1 can hold it); rule categories act as
 *   usual; `language:not-covered` warns;
 * - `screen`: unchanged, with `language:not-covered` listed but not fired (a note);
 * - `block`: `language:not-covered` blocks.
 */
export function applyLanguagePolicy(
  decision: { action: Action; categories: CategoryVerdict[] },
  language: LanguageVerdict,
  policy: LanguagePolicy,
  ruleHits: ReadonlySet<string> = new Set(),
): { action: Action; categories: CategoryVerdict[] } {
  if (language.basis === 'unavailable') return policy.unavailable === 'block' ? failClosed(decision) : decision;
  if (language.covered) return decision;
  const note: CategoryVerdict = {
    category: NOT_COVERED,
    score: language.uncoveredShare,
    threshold: policy.minShare ?? 0.9,
    action: policy.uncovered === 'screen' ? 'allow' : policy.uncovered,
    layer: 'language',
    fired: policy.uncovered !== 'screen',
  };
  const categories = policy.uncovered !== 'warn' ? decision.categories : decision.categories.map((c): CategoryVerdict =>
    c.fired && fromClassifiers(c) && !ruleHits.has(c.category) && severity(c.action) > severity('warn') ? { ...c, action: 'warn', loweredFrom: c.action } : c);
  const all = [note, ...categories].sort((a, b) => Number(b.fired) - Number(a.fired) || b.score - a.score);
  const action = all.filter((c) => c.fired).reduce<Action>((worst, c) => (severity(c.action) > severity(worst) ? c.action : worst), 'allow');
  return { action, categories: all };
}

/** `language.unavailable: 'block'`: a text long enough to be in any language (basis `unavailable`, not `short-text`) is blocked. */
function failClosed(decision: { action: Action; categories: CategoryVerdict[] }): { action: Action; categories: CategoryVerdict[] } {
  const note: CategoryVerdict = { category: NOT_CHECKED, score: 1, threshold: 1, action: 'block', layer: 'language', fired: true };
  return { action: 'block', categories: [note, ...decision.categories] };
}

/**
 * The sentence the verdict's reason gets for a text not covered, e.g. "Language fr (0.98) is
 * not covered by the classifiers: their scores warn, not block; rules apply as usual." Empty
 * for covered text.
 */
export function describeLanguage(language: LanguageVerdict | undefined, policy: LanguagePolicy | undefined): string {
  if (language?.failed && policy) {
    return policy.unavailable === 'block' && language.basis === 'unavailable'
      ? ' Language not checked (the language-id model is unavailable): the policy blocks such text.'
      : ' Language not checked (the language-id model is unavailable): classifier scores decide as for covered text; rules apply as usual.';
  }
  if (language?.model) return ` Language ${language.language} (${language.confidence.toFixed(2)}): read by the multilingual model ${modelDisplayName(language.model)}.`;
  if (!language || language.covered || !policy) return '';
  const unread = language.modelFailed ? ` (the multilingual model could not read it: ${language.modelFailed})` : '';
  const what = `Language ${language.language} (${language.confidence.toFixed(2)}) is not covered by the classifiers${unread}`;
  if (policy.uncovered === 'warn') return ` ${what}: their scores warn, not block; rules apply as usual.`;
  if (policy.uncovered === 'block') return ` ${what}: the policy blocks such text.`;
  return ` ${what}: their scores are used as for covered text.`;
}
