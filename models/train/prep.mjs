// Step 2 of the recipe: leave-sources-out split, train-only augmentation, tokenization with the
// exact tokenizer the browser runs (@huggingface/tokenizers on bert-base-uncased tokenizer.json).
// Output: <work>/rows.jsonl, one object per row:
//   { ids, y: [injection, jailbreak, harmful, toxic], split: train|val|test, source, category?, aug, text }
// Also <work>/framed_eval.jsonl: eval-only benign questions of held-out sources in fiction /
// hypothetical wrappers (never trained on), scored by verify.mjs and reported by report.py.
// Usage: node prep.mjs <data-dir> <tokenizer-dir> <work-dir> <seed> <max-len> [framed-benign 1|0] [aug-v2 0|1]
// Environment: LICENSES=commercial leaves out of training and validation every file that sources.mjs
// marks as non-commercial, GPL, unknown or mixed (test rows stay, so figures stay comparable);
// TYPO_NOISE=0 leaves out the typo copies (noise.mjs).
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Tokenizer } from '@huggingface/tokenizers';
import { augment, framedBenign } from './augment.mjs';
import { augmentV2 } from './augment-v2.mjs';
import { noisyRows } from './noise.mjs';
import { readSources, readTemplates } from './sources.mjs';
import { templateRows } from './templates.mjs';

const [dataDir, tokDir, work, seedArg, maxLenArg] = process.argv.slice(2);
const SEED = Number(seedArg ?? 1234);
const MAX_LEN = Number(maxLenArg ?? 256);
// 1: train on benign questions in the harmful framings too (see framedBenign in augment.mjs).
const FRAMED_BENIGN = (process.argv[7] ?? '1') === '1';
// 1: also the second augmentation round (augment-v2.mjs). Its rows come after the first round's.
const AUG_V2 = (process.argv[8] ?? '0') === '1';
const LICENSES = process.env.LICENSES ?? 'all';
const TYPO_NOISE = (process.env.TYPO_NOISE ?? '1') === '1';
if (!['all', 'commercial'].includes(LICENSES)) throw new Error(`LICENSES must be all or commercial, not ${LICENSES}`);
const LABELS = ['injection', 'jailbreak', 'harmful', 'toxic'];
// Data written for this project (everyday chat; models/train/data/README.md), read with ../shared/data.
const OWN_DATA = join(dirname(fileURLToPath(import.meta.url)), 'data');

// Whole sources (or whole sub-sources) that never appear in training: the test numbers say how the
// model does on attack styles and benign styles it never saw. Validation holds whole sources out
// too (val_sources), so epochs and thresholds are chosen on styles training did not see.
export const SPLIT_RULES = {
  test_sources: ['neuralchemy_v1', 'forbidden_questions', 'self_instruct_seed', 'garak_latentinjection', 'catqa',
    'toxigen_seed', 'certified_llm_safety', 'everyday_chat_eval'],
  test_categories: { jailbreak_llms_2023_05: ['website', 'open_source'] },
  val_sources: ['tasktracker', 'gptfuzz', 'dangerousqa', 'wiki_toxicity', 'bbq', 'dolly'],
  // Chat-style benign sources are too thin to hold out whole and still train on them: 40% test,
  // 20% validation, 40% train, by a hash of the text.
  partial: { alpaca_eval: [0.4, 0.2], awesome_chatgpt_prompts: [0.4, 0.2] },
  // Large in-distribution sources: 15% test, 15% validation, 70% train; the one source of harmful
  // replies: 25% test, 15% validation.
  in_source_test: { davidson_tweets: [0.15, 0.15], gsm8k: [0.15, 0.15], mmlu: [0.15, 0.15], 'jbb_artifacts:reply': [0.25, 0.15] },
  // Everything else: 15% validation, 85% train (their test counterparts are held-out sources).
  val_fraction: 0.15,
};

const unitHash = (s) => createHash('sha256').update(s).digest().readUInt32BE(0) / 2 ** 32;

function splitOf(row) {
  const R = SPLIT_RULES;
  if (R.test_sources.includes(row.source)) return 'test';
  if ((R.test_categories[row.source] ?? []).includes(row.category)) return 'test';
  if (R.val_sources.includes(row.source)) return 'val';
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

const dataDirs = [dataDir, OWN_DATA];
const read = readSources(dataDirs);
// Replies are their own source (`<source>:reply`): the same corpus's prompts and replies are
// different kinds of text and are reported apart.
const rows = read.rows.map((r) => {
  const row = { text: r.text, source: r.role === 'reply' ? `${r.source}:reply` : r.source, category: r.category };
  return { ...row, labels: r.label === 'benign' ? [] : [r.label], split: splitOf(row), aug: false, commercial: r.commercial };
});
const normKey = (t) => t.toLowerCase().replace(/\s+/g, ' ').trim();
const existing = new Set(rows.map((r) => normKey(r.text)));
let dropped = 0;

// Jailbreak templates filled with requests of the same split (templates.mjs): short prompts only,
// so a request is not a document.
const requests = (pred) => Object.fromEntries(['train', 'val', 'test'].map((sp) => [sp,
  rows.filter((r) => r.split === sp && !r.source.endsWith(':reply') && r.text.length <= 300 && pred(r)).map((r) => r.text)]));
const templates = readTemplates(dataDirs);
let templateAdded = 0;
for (const t of templateRows({ templates, harmful: requests((r) => r.labels.includes('harmful')), benign: requests((r) => r.labels.length === 0 && !r.source.startsWith('davidson')), seed: SEED })) {
  const key = normKey(t.text);
  if (existing.has(key)) { dropped++; continue; }
  existing.add(key);
  rows.push({ ...t, aug: t.split === 'train', commercial: false });
  templateAdded++;
}

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

const v2Added = AUG_V2
  ? addTrainRows(augmentV2({ seed: SEED }).map((a) => ({ text: a.text, source: `aug2:${a.kind}`, category: a.kind, labels: a.labels })))
  : 0;

// Typo copies of a share of the non-augmented training rows, attacks and benign alike (noise.mjs).
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
writeFileSync(join(work, 'split.json'), JSON.stringify({ seed: SEED, max_len: MAX_LEN, rules: SPLIT_RULES, counts, aug_dropped_as_duplicates: dropped, framed_benign: { train_rows: framedAdded, eval_only_rows: framed.test.length }, aug_v2_rows: v2Added,
  template_rows: templateAdded, typo_rows: noiseAdded, licenses: LICENSES, license_dropped_rows: licenseDropped, non_latin_rows_left_out: read.nonLatin,
  files: read.files.map(({ file, license, commercial }) => ({ file, license, commercial, used: LICENSES === 'all' || commercial })) }, null, 2) + '\n');
console.log(`prep: ${out.length} rows (${licensed.filter((r) => r.aug).length} augmented, train only; ${framedAdded} of them framed benign, ${v2Added} second-round, ${noiseAdded} typo copies); ${templateAdded} filled-template rows; ${framed.test.length} eval-only framed benign rows; licences ${LICENSES} (${licenseDropped} rows left out); ${read.nonLatin} non-Latin-script rows left out`);
for (const k of Object.keys(counts).sort()) console.log(`  ${k.padEnd(70)} ${counts[k]}`);
