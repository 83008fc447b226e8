/**
 * `npx tsx test/eval/held-out-sample.ts <out-dir> [--per-source 240]`
 *
 * Writes the held-out evaluation sample of the README's "Presets: measured": up to N evenly spaced
 * rows of each test source that no shipped model trains or is calibrated on (models/train/1-prepare/prepare.mjs
 * SPLIT_RULES.test_sources), one JSONL file per source, with each row's `source`. Then
 * `npm run eval -- <out-dir>/*.jsonl --runtime node` screens them and prints the figures per source.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

const root = new URL('../../', import.meta.url).pathname;
const { values: args, positionals } = parseArgs({ allowPositionals: true, options: { 'per-source': { type: 'string', default: '240' } } });
const out = positionals[0];
if (!out) {
  console.error('usage: npx tsx test/eval/held-out-sample.ts <out-dir> [--per-source N]');
  process.exit(2);
}
const data = `${root}../shared/data/`;
const FILES: Record<string, string> = {
  everyday_chat_eval: `${root}models/train/data/everyday_chat_eval.jsonl`,
  certified_safe_prompts: `${data}certified_safe_prompts.jsonl`,
  self_instruct_seed: `${data}self_instruct_seed.jsonl`,
  neuralchemy_v1: `${data}neuralchemy_v1.jsonl`,
  forbidden_questions: `${data}forbidden_questions.jsonl`,
  garak_latentinjection: `${data}garak_latentinjection.jsonl`,
  toxigen_seed: `${data}toxigen_seed.jsonl`,
  catqa: `${data}catqa.jsonl`,
};
const perSource = Number(args['per-source']);
mkdirSync(out, { recursive: true });
for (const [name, file] of Object.entries(FILES)) {
  const rows = readFileSync(file, 'utf8').split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l) as { text: string; label: string; source: string });
  const k = Math.min(rows.length, perSource);
  const picked = Array.from({ length: k }, (_, i) => rows[Math.floor((i * rows.length) / k)]!);
  writeFileSync(join(out, `${name}.jsonl`), picked.map((r) => JSON.stringify({ text: r.text, label: r.label, source: r.source })).join('\n') + '\n');
  console.log(`${name}: ${k} rows`);
}
