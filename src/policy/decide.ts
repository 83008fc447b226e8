import { replaceSpans, type RuleHit } from '../screen/rules/rule-hit.js';
import { ACTIONS, type Action, type DirectionPolicy } from './policy.js';
import type { CategoryVerdict, Layer } from './verdict.js';

/** A category's score before the policy is applied. */
export interface CategoryScore {
  category: string;
  score: number;
  layer: Layer;
  view?: CategoryVerdict['view'];
}

/** An action's rank: allow < warn < redact < block. */
export const severity = (action: Action) => ACTIONS.indexOf(action);
const SPAN_CATEGORIES = new Set(['pii', 'secrets']);
/** Scaled down for repeat offenders: what the classifiers and the conversation layer judge. */
const SCALED_LAYERS = new Set<Layer>(['classifier', 'review', 'conversation']);

/** Applies one direction's rules to the scores: which categories fire, and the overall action. */
export function decide(scores: CategoryScore[], rules: DirectionPolicy, thresholdFactor = 1): { action: Action; categories: CategoryVerdict[] } {
  let action: Action = 'allow';
  const categories = scores.map((s): CategoryVerdict => {
    const rule = rules.categories[s.category];
    if (!rule) return { ...s, action: 'allow', fired: false };
    const threshold = SCALED_LAYERS.has(s.layer) ? rule.threshold * thresholdFactor : rule.threshold;
    const fired = s.score >= threshold && rule.action !== 'allow';
    if (fired && severity(rule.action) > severity(action)) action = rule.action;
    return { ...s, threshold, action: rule.action, fired };
  });
  return { action, categories: categories.sort((a, b) => Number(b.fired) - Number(a.fired) || b.score - a.score) };
}

/** Replaces the spans of fired redactable categories with their placeholders. */
export function redact(text: string, hits: readonly RuleHit[], categories: readonly CategoryVerdict[]): string {
  const redactable = new Set(categories.filter((c) => c.fired && c.action === 'redact' && SPAN_CATEGORIES.has(c.category)).map((c) => c.category));
  return replaceSpans(text, hits.filter((h) => h.source === 'original' && redactable.has(h.category)));
}

/**
 * The one-line reason for a decision: the categories whose action *is* the decision (a block
 * names what blocked, not a PII span that was only redacted), then what else fired, briefly.
 */
export function describeDecision(action: Action, categories: readonly CategoryVerdict[]): string {
  const fired = categories.filter((c) => c.fired);
  if (action === 'allow') return 'Allowed: nothing reached its threshold.';
  const verb = { warn: 'Warning', redact: 'Redacted', block: 'Blocked' }[action];
  const describe = (c: CategoryVerdict) =>
    `${c.category} ${c.score.toFixed(2)} ≥ ${(c.threshold ?? 0).toFixed(2)} (${c.layer}${c.view && c.view !== 'original' ? `, ${c.view}` : ''})`;
  const deciding = fired.filter((c) => c.action === action).map(describe);
  const also = fired.filter((c) => c.action !== action).map((c) => `${c.category} → ${c.action}`);
  return `${verb}: ${deciding.join('; ')}${also.length ? `. Also: ${also.join(', ')}` : ''}.`;
}
