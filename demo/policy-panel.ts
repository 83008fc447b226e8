import { GuardError, POLICY_PRESETS, type Action, type Guard, type Policy } from '../src/index.js';
import { MultilingualControls } from './multilingual-controls.js';
import { SecondReviewControls } from './review-controls.js';
import { el } from './element.js';

type PresetName = keyof typeof POLICY_PRESETS;
const PRESETS = Object.keys(POLICY_PRESETS) as PresetName[];
/** Only categories with spans can be redacted (the policy validator says the same). */
const SPAN_CATEGORIES = new Set(['pii', 'secrets']);
const actionsFor = (category: string): Action[] => (SPAN_CATEGORIES.has(category) ? ['allow', 'warn', 'redact', 'block'] : ['allow', 'warn', 'block']);

/**
 * Edits the guard's policy live: a preset (fitted to the model's calibration by the guard),
 * then per direction and category a threshold and an action. Every change goes through
 * `guard.setPolicy`, which rejects an invalid policy whole; `onChange` runs after each
 * accepted change (the page screens its last text again).
 */
export class PolicyPanel {
  private readonly problem = el('p', { class: 'problem', role: 'alert' });
  private readonly preset = el('select', { id: 'policy-preset' });
  private readonly failureMode = el('select', { id: 'policy-failure-mode' }, el('option', { value: 'closed' }, 'closed: block'), el('option', { value: 'open' }, 'open: allow with a warning'));
  private readonly tables = el('div', { class: 'policy-tables' });
  private readonly json = el('pre', { class: 'policy-json' });

  private readonly review = new SecondReviewControls((change) => this.edit(change));
  private readonly multilingual = new MultilingualControls((change) => this.edit(change));

  constructor(root: HTMLElement, private readonly guard: Guard, private readonly onChange: () => void) {
    this.preset.append(...PRESETS.map((name) => el('option', { value: name }, name)), el('option', { value: 'custom', disabled: true }, 'custom (edited)'));
    this.preset.value = guard.policy.name && PRESETS.includes(guard.policy.name as PresetName) ? guard.policy.name : 'custom';
    this.preset.addEventListener('change', () => this.apply(this.preset.value as PresetName));
    this.failureMode.addEventListener('change', () => this.edit((p) => { p.failureMode = this.failureMode.value as Policy['failureMode']; }));
    root.append(
      el('div', { class: 'policy-controls' },
        el('label', { for: 'policy-preset' }, 'Preset'), this.preset,
        el('label', { for: 'policy-failure-mode' }, 'When the guard cannot screen'), this.failureMode),
      this.problem,
      this.review.watch(guard),
      this.multilingual.watch(guard),
      this.tables,
      el('details', {}, el('summary', {}, 'The policy as JSON'), this.json),
    );
    this.render();
  }

  /** Applies a preset or an edited policy; on rejection shows why and keeps the old one. */
  private apply(policy: Policy | PresetName): void {
    try {
      this.guard.setPolicy(policy);
      this.problem.textContent = '';
    } catch (error) {
      this.problem.textContent = error instanceof GuardError ? error.message : String(error);
      return;
    }
    if (typeof policy !== 'string') this.preset.value = 'custom';
    this.render();
    this.onChange();
  }

  private edit(change: (policy: Policy) => void): void {
    const policy = structuredClone(this.guard.policy);
    policy.name = 'custom';
    change(policy);
    this.apply(policy);
  }

  private render(): void {
    const policy = this.guard.policy;
    this.failureMode.value = policy.failureMode;
    this.review.show(policy);
    this.multilingual.show(policy);
    this.json.textContent = JSON.stringify(policy, null, 2);
    this.tables.replaceChildren(...(['input', 'output'] as const).map((direction) => {
      const caption = direction === 'input' ? 'Prompts (input)' : 'Replies (output)';
      const rows = Object.entries(policy[direction].categories).map(([category, rule]) => {
        const id = `policy-${direction}-${category.replace(/[^a-z0-9-]/g, '-')}`;
        const threshold = el('input', { type: 'number', min: 0, max: 1, step: 0.01, id: `${id}-threshold`, value: rule.threshold.toFixed(2) });
        const action = el('select', { id: `${id}-action` }, ...actionsFor(category).map((a) => el('option', { value: a, selected: a === rule.action }, a)));
        threshold.addEventListener('change', () => this.edit((p) => { p[direction].categories[category]!.threshold = Number(threshold.value); }));
        action.addEventListener('change', () => this.edit((p) => { p[direction].categories[category]!.action = action.value as Action; }));
        return el('tr', { 'data-category': category },
          el('th', { scope: 'row' }, category),
          el('td', {}, el('label', { for: threshold.id, class: 'visually-hidden' }, `${caption}: ${category} threshold`), threshold),
          el('td', {}, el('label', { for: action.id, class: 'visually-hidden' }, `${caption}: ${category} action`), action));
      });
      return el('div', { class: 'table-scroll' }, el('table', { class: 'policy-table', 'data-direction': direction },
        el('caption', {}, caption),
        el('thead', {}, el('tr', {}, el('th', { scope: 'col' }, 'category'), el('th', { scope: 'col' }, 'threshold'), el('th', { scope: 'col' }, 'action'))),
        el('tbody', {}, ...rows)));
    }));
  }
}
