import type { Verdict } from '../src/policy/verdict.js';

const ACTIONS = ['allow', 'warn', 'redact', 'block'];
const LAYERS = ['rules', 'classifier', 'review', 'conversation', 'language'];
const isScore = (x: unknown) => typeof x === 'number' && x >= 0 && x <= 1 && !Number.isNaN(x);
const isTime = (x: unknown) => typeof x === 'number' && x >= 0 && Number.isFinite(x);

/**
 * Everything wrong with a verdict's shape, for `text` (the text screened): an empty list when it
 * is well formed. Checks what components and the audit log rely on: a known action and
 * direction, a non-empty reason, scores in [0, 1], categories consistent with the action, rule
 * spans inside the original text, redacted text exactly when the action is `redact`, timings.
 */
export function verdictProblems(verdict: Verdict, text: string): string[] {
  const problems: string[] = [];
  const check = (ok: boolean, what: string) => void (ok || problems.push(what));
  check(typeof verdict === 'object' && verdict !== null, 'not an object');
  if (problems.length > 0) return problems;
  check(ACTIONS.includes(verdict.action), `action ${String(verdict.action)}`);
  check(verdict.direction === 'input' || verdict.direction === 'output', `direction ${String(verdict.direction)}`);
  check(typeof verdict.reason === 'string' && verdict.reason.length > 0, 'empty reason');
  check(verdict.backend === 'wasm' || verdict.backend === 'webgpu', `backend ${String(verdict.backend)}`);
  check(typeof verdict.scores === 'object' && Object.values(verdict.scores).every(isScore), `scores ${JSON.stringify(verdict.scores)}`);
  check(Array.isArray(verdict.categories), 'categories not a list');
  for (const c of verdict.categories ?? []) {
    check(typeof c.category === 'string' && isScore(c.score) && ACTIONS.includes(c.action) && LAYERS.includes(c.layer) && typeof c.fired === 'boolean',
      `category ${JSON.stringify(c)}`);
    if (c.threshold !== undefined) check(isScore(c.threshold), `threshold ${c.threshold}`);
  }
  // The verdict's action is the most severe action of a fired category (allow when none fired).
  const fired = (verdict.categories ?? []).filter((c) => c.fired).map((c) => ACTIONS.indexOf(c.action));
  if (!verdict.failure) check(ACTIONS.indexOf(verdict.action) === Math.max(0, ...fired), `action ${verdict.action} vs fired categories`);
  check(Array.isArray(verdict.hits), 'hits not a list');
  for (const h of verdict.hits ?? []) {
    const [start, end] = h.span ?? [];
    check(Number.isInteger(start) && Number.isInteger(end) && start! >= 0 && start! < end!, `span ${JSON.stringify(h.span)}`);
    if (h.source === 'original') check(end! <= text.length, `span ${JSON.stringify(h.span)} past the text (${text.length})`);
    check(typeof h.rule === 'string' && typeof h.placeholder === 'string' && h.placeholder.startsWith('['), `hit ${JSON.stringify(h)}`);
  }
  check((verdict.action === 'redact') === (typeof verdict.redactedText === 'string'), 'redactedText present exactly when the action is redact');
  check(typeof verdict.normalization === 'object' && Array.isArray(verdict.normalization.flags) && Number.isInteger(verdict.normalization.decoded), 'normalization');
  const t = verdict.timings;
  check(typeof t === 'object' && isTime(t.normalizeMs) && isTime(t.rulesMs) && isTime(t.classifierMs) && isTime(t.totalMs), `timings ${JSON.stringify(t)}`);
  const l = verdict.language;
  if (l !== undefined) {
    check(typeof l.language === 'string' && isScore(l.confidence) && isScore(l.uncoveredShare) && typeof l.covered === 'boolean', `language ${JSON.stringify(l)}`);
  }
  if (verdict.failure) check(typeof verdict.failure.code === 'string' && typeof verdict.failure.message === 'string', 'failure');
  return problems;
}
