/**
 * What the normalize layer costs per red-team technique: the bench's ~64-token text dressed by
 * each single-message technique, normalized 300 times in this process (the worker runs the same
 * code), p50 and p95 in ms. Normalize is plain JavaScript, so Node's figures are the worker's
 * within a JIT's difference.
 */
import { seededRandom } from '../../src/redteam/seeded-random.js';
import { TECHNIQUES } from '../../src/redteam/techniques.js';
import { normalize } from '../../src/screen/normalize.js';
import { summarize } from './stats.js';

/** About 64 WordPiece tokens of an ordinary request. */
export const TEXT_64_TOKENS = 'I am planning a weekend trip to Lisbon with two friends in early May. Could you suggest a relaxed itinerary with a few museums, a good place for seafood, and a sunset viewpoint? We will be walking mostly, so please keep things close together.';

export interface NormalizeCost {
  technique: string;
  p50: number;
  p95: number;
  flags: string;
}

export function normalizeCosts(runs = 300): NormalizeCost[] {
  const costs: NormalizeCost[] = [];
  for (const technique of TECHNIQUES) {
    const form = technique.apply(TEXT_64_TOKENS, seededRandom(1));
    if (!('text' in form)) continue;
    for (let i = 0; i < 30; i++) normalize(form.text);
    const times: number[] = [];
    for (let i = 0; i < runs; i++) {
      const t0 = performance.now();
      normalize(form.text);
      times.push(performance.now() - t0);
    }
    const s = summarize(times);
    costs.push({ technique: technique.id, p50: s.p50, p95: s.p95, flags: normalize(form.text).flags.join(' ') });
  }
  return costs;
}

export function printNormalizeCosts(costs: readonly NormalizeCost[]): void {
  console.log(`\nnormalize layer, one ~64-token text dressed by each technique (${TECHNIQUES.length} techniques; multi-turn ones skipped), in Node, ms`);
  console.log(`${'technique'.padEnd(22)} ${'p50'.padStart(7)} ${'p95'.padStart(7)}  flags`);
  for (const c of costs) console.log(`${c.technique.padEnd(22)} ${c.p50.toFixed(3).padStart(7)} ${c.p95.toFixed(3).padStart(7)}  ${c.flags}`);
}
