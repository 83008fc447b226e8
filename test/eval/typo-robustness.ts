/**
 * `npx tsx test/eval/typo-robustness.ts <file.jsonl>... [--model NAME|/path/] [--rate 0.5] [--seed 1]`
 *
 * How typos move the whole guard's verdicts (Node runner, `balanced`): every row is screened as
 * written and rewritten with typos (the recipe's own `addTypos`: a letter swapped, dropped or
 * doubled, or the word spaced out, in `rate` of the words of four letters or more). Prints, per
 * label, the share of attacks blocked as written that are still blocked with typos, and the share
 * of benign rows blocked as written and with typos. The recipe trains on typo copies of its own
 * training rows; run this on held-out sources to see whether that carries over.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { makeRng } from '../../models/train/lib/rng.mjs';
import { addTypos } from '../../models/train/2-augment/typos.mjs';
import { createNodeGuard } from '../node/node-guard.js';
import { modelPathFor } from './model-path.js';

const root = new URL('../../', import.meta.url).pathname;
const { values: args, positionals } = parseArgs({
  allowPositionals: true,
  options: { model: { type: 'string' }, rate: { type: 'string', default: '0.5' }, seed: { type: 'string', default: '1' } },
});
const rows = positionals.flatMap((f) => readFileSync(f, 'utf8').split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l) as { text: string; label: string }));
const rng = makeRng(Number(args.seed));
const guard = await createNodeGuard({ modelPath: modelPathFor(args.model, root), policy: 'balanced' });
const byLabel = new Map<string, { n: number; plain: number; both: number; typo: number }>();
for (const row of rows) {
  const typo = addTypos(row.text, rng, Number(args.rate));
  const plain = (await guard.screen(row.text)).action === 'block';
  const noisy = (await guard.screen(typo)).action === 'block';
  const s = byLabel.get(row.label) ?? { n: 0, plain: 0, both: 0, typo: 0 };
  s.n += 1;
  s.plain += Number(plain);
  s.typo += Number(noisy);
  s.both += Number(plain && noisy);
  byLabel.set(row.label, s);
}
await guard.dispose();
const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
console.log(`model ${modelPathFor(args.model, root)}, typo rate ${args.rate}, seed ${args.seed}`);
for (const [label, s] of [...byLabel].sort()) {
  console.log(label === 'benign'
    ? `benign: ${s.n} rows, blocked ${pct(s.plain / s.n)} as written, ${pct(s.typo / s.n)} with typos`
    : `${label}: ${s.n} rows, ${s.plain} blocked as written, of which ${pct(s.both / Math.max(1, s.plain))} still blocked with typos`);
}
process.exit(0);
