import type { Verdict } from '../policy/verdict.js';
import type { RedTeamCase } from './generate.js';

/** What the runner needs of a guard: `Guard` fits. */
export interface ScreeningTarget {
  screen(text: string, options?: { direction?: 'input' | 'output'; conversation?: string }): Promise<Verdict>;
}

/** One technique's results. */
export interface TechniqueResult {
  technique: string;
  family: string;
  attacks: number;
  /** Attack cases blocked (a multi-turn case counts when any turn is blocked). */
  caught: number;
  catchRate: number;
  benign: number;
  benignBlocked: number;
  benignFpr: number;
  /** Single-message attack cases whose goal, screened as written, is blocked. */
  caughtAsWritten: number;
  /** Of those, the cases still blocked once dressed: what the technique fails to take away. */
  keptCatches: number;
  /** keptCatches / caughtAsWritten (NaN when no goal was caught as written). */
  keptShare: number;
  /** Single-message benign cases whose goal, screened as written, is blocked (compare with benignBlocked). */
  benignBlockedAsWritten: number;
}

/** One seed category's results over every technique (attack cases only). */
export interface CategoryResult {
  category: string;
  attacks: number;
  caught: number;
  catchRate: number;
}

export interface RedTeamReport {
  techniques: TechniqueResult[];
  /** Attack cases grouped by their seed goal's category (`uncategorized` when it had none). */
  categories: CategoryResult[];
  overall: { attacks: number; caught: number; catchRate: number; benign: number; benignBlocked: number; benignFpr: number };
  /** Per case: blocked or not, and the reason (for the HTML/JSON report). */
  cases: { id: string; blocked: boolean; reason: string }[];
}

/** `fn` over `items`, `size` at a time (enough to fill the guard's batches, not every case at once); results in order. */
async function mapInGroups<T, R>(items: readonly T[], fn: (item: T) => Promise<R>, size = 64): Promise<R[]> {
  const out: R[] = [];
  for (let i = 0; i < items.length; i += size) out.push(...(await Promise.all(items.slice(i, i + size).map(fn))));
  return out;
}

/** Runs every case against the guard (single messages concurrently, conversations in order). */
export async function runRedTeam(target: ScreeningTarget, cases: readonly RedTeamCase[], onProgress?: (done: number, total: number) => void): Promise<RedTeamReport> {
  let done = 0;
  const judge = async (c: RedTeamCase) => {
    let verdict: Verdict | undefined;
    if ('turns' in c) {
      for (const turn of c.turns) {
        verdict = await target.screen(turn, { conversation: c.id });
        if (verdict.action === 'block') break;
      }
    } else {
      verdict = await target.screen(c.text);
    }
    onProgress?.(++done, cases.length);
    return { id: c.id, blocked: verdict?.action === 'block', reason: verdict?.reason ?? '' };
  };
  const results: RedTeamReport['cases'] = await mapInGroups(cases, judge);
  // Each single-message case's goal as written, screened once: a technique is judged by the
  // catches it takes away (and the benign blocks it adds), not by the seed file's difficulty.
  const goals = [...new Set(cases.filter((c) => 'text' in c).map((c) => c.goal))];
  const asWritten = await mapInGroups(goals, (goal) => target.screen(goal));
  const blockedAsWritten = new Map(goals.map((goal, i) => [goal, asWritten[i]!.action === 'block']));

  const byTechnique = new Map<string, TechniqueResult>();
  cases.forEach((c, i) => {
    const row = byTechnique.get(c.technique) ?? { technique: c.technique, family: c.family, attacks: 0, caught: 0, catchRate: 0, benign: 0, benignBlocked: 0, benignFpr: 0,
      caughtAsWritten: 0, keptCatches: 0, keptShare: 0, benignBlockedAsWritten: 0 };
    const asWritten = 'text' in c && blockedAsWritten.get(c.goal) === true;
    if (c.kind === 'attack') {
      row.attacks += 1;
      if (results[i]!.blocked) row.caught += 1;
      if (asWritten) {
        row.caughtAsWritten += 1;
        if (results[i]!.blocked) row.keptCatches += 1;
      }
    } else {
      row.benign += 1;
      if (results[i]!.blocked) row.benignBlocked += 1;
      if (asWritten) row.benignBlockedAsWritten += 1;
    }
    byTechnique.set(c.technique, row);
  });
  const byCategory = new Map<string, CategoryResult>();
  cases.forEach((c, i) => {
    if (c.kind !== 'attack') return;
    const name = c.category ?? 'uncategorized';
    const row = byCategory.get(name) ?? { category: name, attacks: 0, caught: 0, catchRate: 0 };
    row.attacks += 1;
    if (results[i]!.blocked) row.caught += 1;
    byCategory.set(name, row);
  });
  const categories = [...byCategory.values()].map((r) => ({ ...r, catchRate: r.caught / r.attacks }));
  const techniques = [...byTechnique.values()].map((r) => ({ ...r, catchRate: r.attacks ? r.caught / r.attacks : Number.NaN, benignFpr: r.benign ? r.benignBlocked / r.benign : Number.NaN,
    keptShare: r.caughtAsWritten ? r.keptCatches / r.caughtAsWritten : Number.NaN }));
  const sum = (f: (r: TechniqueResult) => number) => techniques.reduce((a, r) => a + f(r), 0);
  const attacks = sum((r) => r.attacks);
  const benign = sum((r) => r.benign);
  return {
    techniques,
    categories,
    overall: { attacks, caught: sum((r) => r.caught), catchRate: attacks ? sum((r) => r.caught) / attacks : Number.NaN, benign, benignBlocked: sum((r) => r.benignBlocked), benignFpr: benign ? sum((r) => r.benignBlocked) / benign : Number.NaN },
    cases: results,
  };
}
