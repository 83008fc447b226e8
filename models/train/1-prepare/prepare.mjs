// Stage 1 (prepare): the labelled rows of ../shared/data and of this folder's data/, each given a
// split by whole source (leave sources out, SPLIT_RULES), plus the jailbreak templates filled with
// requests of the same split (templates.mjs). No augmentation and no tokenization here (stage 2).
// Output: <work>/prepared.jsonl, one object per row:
//   { text, source, category?, labels: [label] | [], split: train|val|test, aug, commercial }
// and <work>/prepared.json (seed, what was read, filled-template counts) for stage 2's split.json.
// Usage: node prepare.mjs <data-dir> <work-dir> <seed>
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { normKey } from '../lib/rows.mjs';
import { readSources, readTemplates } from './sources.mjs';
import { templateRows } from './templates.mjs';

const [dataDir, work, seedArg] = process.argv.slice(2);
const SEED = Number(seedArg ?? 1234);
// Data written for this project (everyday chat; models/train/data/README.md), read with ../shared/data.
const OWN_DATA = join(dirname(fileURLToPath(import.meta.url)), '..', 'data');

// Whole sources (or whole sub-sources) that never appear in training: the test numbers say how the
// model does on attack styles and benign styles it never saw. Validation holds whole sources out
// too (val_sources), so epochs and thresholds are chosen on styles training did not see.
const SPLIT_RULES = {
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

const dataDirs = [dataDir, OWN_DATA];
const read = readSources(dataDirs);
// Replies are their own source (`<source>:reply`): the same corpus's prompts and replies are
// different kinds of text and are reported apart.
const rows = read.rows.map((r) => {
  const row = { text: r.text, source: r.role === 'reply' ? `${r.source}:reply` : r.source, category: r.category };
  return { ...row, labels: r.label === 'benign' ? [] : [r.label], split: splitOf(row), aug: false, commercial: r.commercial };
});
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

writeFileSync(join(work, 'prepared.jsonl'), rows.map((r) => JSON.stringify(r)).join('\n') + '\n');
writeFileSync(join(work, 'prepared.json'), JSON.stringify({ seed: SEED, rules: SPLIT_RULES, template_rows: templateAdded, templates_dropped_as_duplicates: dropped,
  non_latin_rows_left_out: read.nonLatin, files: read.files.map(({ file, license, commercial }) => ({ file, license, commercial })) }, null, 2) + '\n');
console.log(`prepare: ${rows.length} rows (${templateAdded} filled-template rows); ${read.nonLatin} non-Latin-script rows left out`);
