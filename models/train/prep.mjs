// Step 2 of the recipe: leave-sources-out split, train-only augmentation, tokenization with the
// exact tokenizer the browser runs (@huggingface/tokenizers on bert-base-uncased tokenizer.json).
// Output: <work>/rows.jsonl, one object per row:
//   { ids, y: [injection, jailbreak, harmful, toxic], split: train|val|test, source, category?, aug, text }
// Also <work>/framed_eval.jsonl: eval-only benign questions of held-out sources in fiction /
// hypothetical wrappers (never trained on), scored by verify.mjs and reported by report.py.
// Usage: node prep.mjs <data-dir> <tokenizer-dir> <work-dir> <seed> <max-len> [framed-benign 1|0] [aug-v2 0|1]
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Tokenizer } from '@huggingface/tokenizers';
import { augment, framedBenign } from './augment.mjs';
import { augmentV2 } from './augment-v2.mjs';

const [dataDir, tokDir, work, seedArg, maxLenArg] = process.argv.slice(2);
const SEED = Number(seedArg ?? 1234);
const MAX_LEN = Number(maxLenArg ?? 256);
// 1: train on benign questions in the harmful framings too (see framedBenign in augment.mjs).
const FRAMED_BENIGN = (process.argv[7] ?? '1') === '1';
// 1: also the second augmentation round (augment-v2.mjs; design (a) only, so run.sh's shipped
// guard-bert-mini stays reproducible). Its rows come last, so every earlier row and the seeded
// framed-benign walk are the same with it on or off.
const AUG_V2 = (process.argv[8] ?? '0') === '1';
const LABELS = ['injection', 'jailbreak', 'harmful', 'toxic'];

// Whole sources (or whole sub-sources) that never appear in training: the test numbers say how the
// model does on attack styles and benign styles it never saw.
export const SPLIT_RULES = {
  test_sources: ['neuralchemy_v1', 'forbidden_questions', 'self_instruct_seed'],
  test_categories: { jailbreak_llms_2023_05: ['website', 'open_source'] },
  // Chat-style benign sources are too thin to hold out whole and still train on them: 40% test,
  // 20% validation, 40% train, by a hash of the text.
  partial: { alpaca_eval: [0.4, 0.2], awesome_chatgpt_prompts: [0.4, 0.2] },
  // Large in-distribution sources: 15% test, 15% validation, 70% train.
  in_source_test: { davidson_tweets: [0.15, 0.15], gsm8k: [0.15, 0.15], mmlu: [0.15, 0.15] },
  // Everything else: 15% validation, 85% train (their test counterparts are held-out sources).
  val_fraction: 0.15,
};

const unitHash = (s) => createHash('sha256').update(s).digest().readUInt32BE(0) / 2 ** 32;

function splitOf(row) {
  const R = SPLIT_RULES;
  if (R.test_sources.includes(row.source)) return 'test';
  if ((R.test_categories[row.source] ?? []).includes(row.category)) return 'test';
  const u = unitHash(`split|${row.source}|${row.text}`);
  const p = R.partial[row.source] ?? R.in_source_test[row.source];
  if (p) return u < p[0] ? 'test' : u < p[0] + p[1] ? 'val' : 'train';
  return u < R.val_fraction ? 'val' : 'train';
}

const tokenizer = new Tokenizer(
  JSON.parse(readFileSync(join(tokDir, 'tokenizer.json'), 'utf8')),
  JSON.parse(readFileSync(join(tokDir, 'tokenizer_config.json'), 'utf8')),
);
const encode = (text) => {
  const ids = tokenizer.encode(text).ids;
  return ids.length <= MAX_LEN ? ids : [...ids.slice(0, MAX_LEN - 1), ids[ids.length - 1]];
};

const rows = [];
for (const file of readdirSync(dataDir).filter((f) => f.endsWith('.jsonl')).sort()) {
  for (const line of readFileSync(join(dataDir, file), 'utf8').split('\n')) {
    if (!line.trim()) continue;
    const r = JSON.parse(line);
    rows.push({ text: r.text, source: r.source, category: r.category, labels: r.label === 'benign' ? [] : [r.label], split: splitOf(r), aug: false });
  }
}

// Augmentation seeds: TRAIN-split harmful rows only, so no augmented row derives from val/test.
const harmfulSeeds = rows.filter((r) => r.split === 'train' && r.labels.includes('harmful')).map((r) => r.text);
const normKey = (t) => t.toLowerCase().replace(/\s+/g, ' ').trim();
const existing = new Set(rows.map((r) => normKey(r.text)));
let dropped = 0;
for (const a of augment({ harmful: harmfulSeeds, seed: SEED })) {
  if (existing.has(normKey(a.text))) { dropped++; continue; }
  rows.push({ text: a.text, source: `aug:${a.kind}`, category: a.kind, labels: a.labels, split: 'train', aug: true });
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
    rows.push({ text, source, category, labels, split: 'train', aug: true });
    added++;
  }
  return added;
}

const framed = framedBenign(rows.slice(), SEED);
const framedAdded = FRAMED_BENIGN
  ? addTrainRows(framed.train.map((text) => ({ text, source: 'aug:benign_framed', category: 'benign_framed', labels: [] })))
  : 0;

const v2Added = AUG_V2
  ? addTrainRows(augmentV2({ seed: SEED }).map((a) => ({ text: a.text, source: `aug2:${a.kind}`, category: a.kind, labels: a.labels })))
  : 0;

const out = [];
const counts = {};
for (const r of rows) {
  const y = LABELS.map((l) => (r.labels.includes(l) ? 1 : 0));
  const key = `${r.split}|${r.source}|${r.labels.join('+') || 'benign'}`;
  counts[key] = (counts[key] ?? 0) + 1;
  out.push(JSON.stringify({ ids: encode(r.text), y, split: r.split, source: r.source, category: r.category, aug: r.aug, text: r.text }));
}
writeFileSync(join(work, 'rows.jsonl'), out.join('\n') + '\n');
writeFileSync(join(work, 'framed_eval.jsonl'), framed.test.map((f) => JSON.stringify({ ids: encode(f.text), y: [0, 0, 0, 0], split: 'framed_test', source: `framed:${f.source}`, category: 'framed_benign', aug: true, text: f.text })).join('\n') + '\n');
writeFileSync(join(work, 'split.json'), JSON.stringify({ seed: SEED, max_len: MAX_LEN, rules: SPLIT_RULES, counts, aug_dropped_as_duplicates: dropped, framed_benign: { train_rows: framedAdded, eval_only_rows: framed.test.length }, aug_v2_rows: v2Added }, null, 2) + '\n');
console.log(`prep: ${out.length} rows (${rows.filter((r) => r.aug).length} augmented, train only; ${framedAdded} of them framed benign, ${v2Added} second-round); ${framed.test.length} eval-only framed benign rows`);
for (const k of Object.keys(counts).sort()) console.log(`  ${k.padEnd(70)} ${counts[k]}`);
