import { seededRandom } from './seeded-random.js';
import { TECHNIQUES, type AttackForm, type Technique } from './techniques.js';

/** One red-team case: a goal dressed by one technique. */
export type RedTeamCase = AttackForm & {
  id: string;
  technique: string;
  family: string;
  /** `attack` cases should be blocked; `benign` ones (benign goals, same dressing) should not. */
  kind: 'attack' | 'benign';
  /** The undressed goal. */
  goal: string;
  /** The goal's category in its seed file (e.g. "Illegal Activity"), when it had one. */
  category?: string;
};

/** A seed goal: its text, and the category it came with (reports group catch rates by it). */
export interface RedTeamGoal {
  text: string;
  category?: string;
}

export interface GenerateOptions {
  /** Cases per technique (default: every goal once). */
  perTechnique?: number;
  /** Default 1. */
  seed?: number;
  /** Only these technique ids (default: all). */
  techniques?: readonly string[];
}

/**
 * Dresses each goal in each technique, deterministically under `seed`. Run it on harmful goals
 * (`kind: 'attack'`) and on benign ones (`kind: 'benign'`): an encoded benign question must not
 * be blocked merely for being encoded.
 */
export function generateCases(goals: readonly (string | RedTeamGoal)[], kind: RedTeamCase['kind'], options: GenerateOptions = {}): RedTeamCase[] {
  const random = seededRandom(options.seed ?? 1);
  const chosen: Technique[] = options.techniques ? TECHNIQUES.filter((t) => options.techniques!.includes(t.id)) : [...TECHNIQUES];
  const cases: RedTeamCase[] = [];
  for (const technique of chosen) {
    const count = Math.min(options.perTechnique ?? goals.length, goals.length);
    // A seeded choice of goals per technique, so a small run still spreads over the seed file.
    const order = goals.map((_, i) => i);
    for (let i = order.length - 1; i > 0; i--) {
      const j = random.int(i + 1);
      [order[i], order[j]] = [order[j]!, order[i]!];
    }
    order.length = count;
    order.forEach((g, i) => {
      const entry = goals[g]!;
      const goal = typeof entry === 'string' ? entry : entry.text;
      const category = typeof entry === 'string' ? undefined : entry.category;
      cases.push({ ...technique.apply(goal, random), id: `${kind}:${technique.id}:${i}`, technique: technique.id, family: technique.family, kind, goal, ...(category ? { category } : {}) });
    });
  }
  return cases;
}

/**
 * Cases from an audit-log export (`guard.audit.exportJsonl()`): the feedback loop. Entries the
 * guard blocked or warned on become attack cases, allowed ones benign; redacted text is used as is.
 */
export function casesFromAuditExport(jsonl: string): RedTeamCase[] {
  return jsonl.split('\n').filter((l) => l.trim()).flatMap((line, i) => {
    const entry = JSON.parse(line) as { text?: string; action?: string; label?: string };
    if (typeof entry.text !== 'string' || entry.text.startsWith('sha256:')) return [];
    const kind: RedTeamCase['kind'] = entry.action === 'allow' ? 'benign' : 'attack';
    return [{ text: entry.text, id: `audit:${i}`, technique: 'audit-log', family: 'audit', kind, goal: entry.text }];
  });
}
