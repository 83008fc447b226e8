// Stage 2 (augment): train-only rows added to stage 1's, then the licence switch and tokenization
// with the exact tokenizer the browser runs (@huggingface/tokenizers on bert-base-uncased
// tokenizer.json). No augmented row derives from a validation or test row.
//   framings.mjs            harmful requests in role-play, fiction and research framings, with benign
//                           questions in the same framings (and eval-only framed benign rows)
//   injection-carriers.mjs  injections in documents, tool output, fake role markers and encodings,
//                           each with benign texts of the same shape (on for guard-use-lite)
//   typos.mjs               typo copies of a share of the training rows
// Output: <work>/rows.jsonl, one object per row:
//   { ids, y: [injection, jailbreak, harmful, toxic], split: train|val|test, source, category?, aug, text }
// <work>/framed_eval.jsonl: eval-only benign questions of held-out sources in fiction /
// hypothetical wrappers (never trained on), scored in stage 5 and reported in stage 7;
// <work>/split.json: the split's rules and counts, what each augmentation added, the data files.
// Usage: node augment.mjs <tokenizer-dir> <work-dir> <max-len> [framed-benign 1|0] [injection-carriers 0|1]
// Environment: LICENSES=commercial leaves out of training and validation every file that sources.mjs
// marks as non-commercial, GPL, unknown or mixed (test rows stay, so figures stay comparable);
// TYPO_NOISE=0 leaves out the typo copies.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Tokenizer } from '@huggingface/tokenizers';
import { LABELS } from '../lib/labels.mjs';
import { normKey } from '../lib/rows.mjs';
import { augment, framedBenign } from './framings.mjs';
import { injectionCarriers } from './injection-carriers.mjs';
import { noisyRows } from './typos.mjs';

const [tokDir, work, maxLenArg] = process.argv.slice(2);
const MAX_LEN = Number(maxLenArg ?? 256);
// 1: train on benign questions in the harmful framings too (see framedBenign in framings.mjs).
const FRAMED_BENIGN = (process.argv[5] ?? '1') === '1';
// 1: also the injection carriers (injection-carriers.mjs). Their rows come after the framings'.
const CARRIERS = (process.argv[6] ?? '0') === '1';
const LICENSES = process.env.LICENSES ?? 'all';
const TYPO_NOISE = (process.env.TYPO_NOISE ?? '1') === '1';
if (!['all', 'commercial'].includes(LICENSES)) throw new Error(`LICENSES must be all or commercial, not ${LICENSES}`);

const prepared = JSON.parse(readFileSync(join(work, 'prepared.json'), 'utf8'));
const SEED = prepared.seed;
const rows = readFileSync(join(work, 'prepared.jsonl'), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
const existing = new Set(rows.map((r) => normKey(r.text)));
let dropped = prepared.templates_dropped_as_duplicates;

const tokenizer = new Tokenizer(
  JSON.parse(readFileSync(join(tokDir, 'tokenizer.json'), 'utf8')),
  JSON.parse(readFileSync(join(tokDir, 'tokenizer_config.json'), 'utf8')),
);
const encode = (text) => {
  const ids = tokenizer.encode(text).ids;
  return ids.length <= MAX_LEN ? ids : [...ids.slice(0, MAX_LEN - 1), ids[ids.length - 1]];
};

// Augmentation seeds: TRAIN-split harmful rows only, so no augmented row derives from val/test.
const harmfulSeeds = rows.filter((r) => r.split === 'train' && r.labels.includes('harmful') && !r.source.startsWith('template:') && !r.source.endsWith(':reply')).map((r) => r.text);
for (const a of augment({ harmful: harmfulSeeds, seed: SEED })) {
  if (existing.has(normKey(a.text))) { dropped++; continue; }
  rows.push({ text: a.text, source: `aug:${a.kind}`, category: a.kind, labels: a.labels, split: 'train', aug: true, commercial: true });
}

// Framed benign: computed on every run (the eval-only texts do not depend on the flag); the
// training rows are added only with the flag on.
/** Appends training rows whose text is not in the data yet; returns how many were added. */
function addTrainRows(items) {
  let added = 0;
  for (const { text, source, category, labels } of items) {
    const key = normKey(text);
    if (existing.has(key)) { dropped++; continue; }
    existing.add(key);
    rows.push({ text, source, category, labels, split: 'train', aug: true, commercial: true });
    added++;
  }
  return added;
}

const framed = framedBenign(rows.slice(), SEED);
const framedAdded = FRAMED_BENIGN
  ? addTrainRows(framed.train.map((text) => ({ text, source: 'aug:benign_framed', category: 'benign_framed', labels: [] })))
  : 0;

const carrierRows = CARRIERS
  ? addTrainRows(injectionCarriers({ seed: SEED }).map((a) => ({ text: a.text, source: `aug2:${a.kind}`, category: a.kind, labels: a.labels })))
  : 0;

// Typo copies of a share of the non-augmented training rows, attacks and benign alike (typos.mjs).
const noiseAdded = TYPO_NOISE
  ? addTrainRows(noisyRows(rows.filter((r) => r.split === 'train' && !r.aug && !r.source.endsWith(':reply')), SEED))
  : 0;

// The licence switch: rows a model learns from (train, validation) only from files free for
// commercial use; test rows stay.
const licensed = LICENSES === 'commercial' ? rows.filter((r) => r.split === 'test' || r.commercial) : rows;
const licenseDropped = rows.length - licensed.length;

const out = [];
const counts = {};
for (const r of licensed) {
  const y = LABELS.map((l) => (r.labels.includes(l) ? 1 : 0));
  const key = `${r.split}|${r.source}|${r.labels.join('+') || 'benign'}`;
  counts[key] = (counts[key] ?? 0) + 1;
  out.push(JSON.stringify({ ids: encode(r.text), y, split: r.split, source: r.source, category: r.category, aug: r.aug, text: r.text }));
}
writeFileSync(join(work, 'rows.jsonl'), out.join('\n') + '\n');
writeFileSync(join(work, 'framed_eval.jsonl'), framed.test.map((f) => JSON.stringify({ ids: encode(f.text), y: [0, 0, 0, 0], split: 'framed_test', source: `framed:${f.source}`, category: 'framed_benign', aug: true, text: f.text })).join('\n') + '\n');
writeFileSync(join(work, 'split.json'), JSON.stringify({ seed: SEED, max_len: MAX_LEN, rules: prepared.rules, counts, aug_dropped_as_duplicates: dropped, framed_benign: { train_rows: framedAdded, eval_only_rows: framed.test.length }, aug_v2_rows: carrierRows,
  template_rows: prepared.template_rows, typo_rows: noiseAdded, licenses: LICENSES, license_dropped_rows: licenseDropped, non_latin_rows_left_out: prepared.non_latin_rows_left_out,
  files: prepared.files.map(({ file, license, commercial }) => ({ file, license, commercial, used: LICENSES === 'all' || commercial })) }, null, 2) + '\n');
console.log(`augment: ${out.length} rows (${licensed.filter((r) => r.aug).length} augmented, train only; ${framedAdded} of them framed benign, ${carrierRows} injection carriers, ${noiseAdded} typo copies); ${prepared.template_rows} filled-template rows; ${framed.test.length} eval-only framed benign rows; licences ${LICENSES} (${licenseDropped} rows left out)`);
for (const k of Object.keys(counts).sort()) console.log(`  ${k.padEnd(70)} ${counts[k]}`);
