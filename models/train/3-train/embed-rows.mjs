// Embeds every prepared row (and the framed-benign sets) with the ported USE-lite encoder ONNX,
// tokenized by the exported tokenizer.json exactly as the engine does (@huggingface/tokenizers,
// no special tokens, first 128 ids), run by onnxruntime-node. Writes <work>/emb.f32 [N, 512]
// and <work>/emb-rows.jsonl (y, split, source, category, aug, framed, ids, text) in the same order.
//
// Framed benign rows: the fiction / hypothetical wrappers of 2-augment/framings.mjs put around BENIGN
// questions. Train-split questions give train rows (design (b) learned to flag the wrappers
// themselves); test-split questions (alpaca_eval, self_instruct_seed) give an eval-only set.
// Usage: node embed-rows.mjs <work-dir with rows.jsonl> <use-work-dir> <encoder.onnx> <seed>
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync, openSync, writeSync, closeSync } from 'node:fs';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { Tokenizer } from '@huggingface/tokenizers';
import { makeRng } from '../lib/rng.mjs';
import { FICTION, HYPOTHETICAL, fillSeed } from '../2-augment/framings.mjs';

const [work, useWork, encoderFile, seedArg] = process.argv.slice(2);
const MAX = 128;
const tok = new Tokenizer(JSON.parse(readFileSync(join(useWork, 'tokenizer.json'), 'utf8')), JSON.parse(readFileSync(join(useWork, 'tokenizer_config.json'), 'utf8')));
// The CPU is small: training rows of the big sources are capped (a hash of the text picks
// which, so the choice is stable); the head draws at most a few thousand of them per epoch anyway.
// Validation and test rows are all kept.
const TRAIN_CAP = { davidson_tweets: 5000, gsm8k: 1500, mmlu: 1500, olid: 3000, toxic_spans: 3000, gpteacher: 3000 };
const capCount = {};
const keyOf = (t) => createHash('sha256').update(`cap|${t}`).digest().readUInt32BE(0);
const parsed = readFileSync(join(work, 'rows.jsonl'), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
const capped = new Set();
for (const [src, cap] of Object.entries(TRAIN_CAP)) {
  const pool = parsed.filter((r) => r.split === 'train' && r.source === src).sort((a, b) => keyOf(a.text) - keyOf(b.text));
  pool.slice(cap).forEach((r) => capped.add(r));
  capCount[src] = Math.min(cap, pool.length);
}
const rows = parsed.filter((r) => !capped.has(r)).map((r) => ({ text: r.text, y: r.y, split: r.split, source: r.source, category: r.category ?? null, aug: r.aug, framed: false }));
console.log(`embed: training rows capped at ${JSON.stringify(capCount)} (${capped.size} left out)`);

const rng = makeRng(Number(seedArg ?? 1234) + 99);
const pick = (xs) => xs[Math.floor(rng() * xs.length)];
const CHAT_TRAIN = new Set(['alpaca_eval', 'awesome_chatgpt_prompts', 'aug:benign_chat', 'aug:benign_lookalike']);
const CHAT_TEST = new Set(['alpaca_eval', 'self_instruct_seed']);
const framed = [];
for (const r of rows) {
  if (r.y.some(Boolean) || r.text.length > 300) continue;
  const test = r.split === 'test' && CHAT_TEST.has(r.source);
  if (!(r.split === 'train' && CHAT_TRAIN.has(r.source)) && !test) continue;
  const tpl = pick(rng() < 0.5 ? FICTION : HYPOTHETICAL);
  framed.push({ text: fillSeed(rng, tpl, r.text), y: [0, 0, 0, 0], split: test ? 'framed_test' : 'train', source: `framed:${r.source}`,
    category: 'framed_benign', aug: true, framed: true });
}
const all = [...rows, ...framed];
console.log(`embed: ${rows.length} rows + ${framed.length} framed benign (${framed.filter((f) => f.split === 'framed_test').length} eval-only)`);

const session = await ort.InferenceSession.create(encoderFile, { intraOpNumThreads: 2, interOpNumThreads: 1 });
const ids = all.map((r) => tok.encode(r.text, { add_special_tokens: false }).ids.slice(0, MAX));
const order = ids.map((_, i) => i).sort((a, b) => ids[a].length - ids[b].length);
const out = new Float32Array(all.length * 512);
const t0 = Date.now();
for (let s = 0; s < order.length; s += 64) {
  const idx = order.slice(s, s + 64);
  const width = Math.max(1, ...idx.map((i) => ids[i].length));
  const inp = new BigInt64Array(idx.length * width);
  const mask = new BigInt64Array(idx.length * width);
  idx.forEach((i, r) => ids[i].forEach((v, j) => { inp[r * width + j] = BigInt(v); mask[r * width + j] = 1n; }));
  const res = await session.run({ input_ids: new ort.Tensor('int64', inp, [idx.length, width]), attention_mask: new ort.Tensor('int64', mask, [idx.length, width]) });
  const e = res.embedding.data;
  idx.forEach((i, r) => out.set(e.subarray(r * 512, (r + 1) * 512), i * 512));
}
const fd = openSync(join(useWork, 'emb.f32'), 'w');
writeSync(fd, Buffer.from(out.buffer));
closeSync(fd);
writeFileSync(join(useWork, 'emb-rows.jsonl'), all.map(({ text, ...r }, i) => JSON.stringify({ ...r, ids: ids[i], text })).join('\n') + '\n');
console.log(`embed: ${all.length} texts in ${((Date.now() - t0) / 1000).toFixed(1)} s (onnxruntime-node, 2 threads)`);
