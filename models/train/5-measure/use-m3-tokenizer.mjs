// Stage 5 (measure), guard-use-m3: the engine's tokenizer (@huggingface/tokenizers on the shipped
// tokenizer.json) against the wheel's own SentencePiece tokenizer, on the texts of
// <work>/tokenizer-reference.json (3-train/use_m3.py tokenizer-reference). The JS Precompiled
// normalizer is NFKC, not the model's charsmap, so a few texts (emoji, runs of spaces) differ:
// stops the pipeline if fewer than `MIN_SHARE` of them, or of the Chinese ones, get the same ids.
// Usage: node use-m3-tokenizer.mjs <model-dir> <work-dir>
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Tokenizer } from '@huggingface/tokenizers';

const MIN_SHARE = 0.97;
const [dir, work] = process.argv.slice(2);
const tokenizer = new Tokenizer(JSON.parse(readFileSync(join(dir, 'tokenizer.json'), 'utf8')), JSON.parse(readFileSync(join(dir, 'tokenizer_config.json'), 'utf8')));
const reference = JSON.parse(readFileSync(join(work, 'tokenizer-reference.json'), 'utf8'));
const same = (a, b) => a.length === b.length && a.every((v, i) => v === b[i]);
const tally = { all: [0, 0], chinese: [0, 0] };
const differing = [];
for (const row of reference) {
  const ok = same(tokenizer.encode(row.text).ids, row.ids);
  for (const key of row.chinese ? ['all', 'chinese'] : ['all']) {
    tally[key][0] += ok ? 1 : 0;
    tally[key][1] += 1;
  }
  if (!ok && differing.length < 10) differing.push(row.text.slice(0, 80));
}
const report = { identical: tally.all, chineseIdentical: tally.chinese, minShare: MIN_SHARE, differing };
writeFileSync(join(work, 'tokenizer-check.json'), `${JSON.stringify(report, null, 2)}\n`);
console.log(`measure: JS tokenizer vs the wheel's: ${tally.all[0]} of ${tally.all[1]} identical (Chinese ${tally.chinese[0]} of ${tally.chinese[1]})`);
if (tally.all[0] < MIN_SHARE * tally.all[1] || tally.chinese[0] < MIN_SHARE * tally.chinese[1]) {
  console.error(`the engine would tokenize more than ${Math.round(100 * (1 - MIN_SHARE))}% of these texts differently from the model's own tokenizer`);
  process.exit(1);
}
