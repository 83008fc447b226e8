// Study helper (not a stage): int8 first-window logits of every val/test row of a rows.jsonl, by any
// model folder (its own tokenizer.json), with onnxruntime-node; the output lines follow the input's
// val/test order in lib/metrics.py's score format, so two models' scores can be compared row by row.
// Usage: node score-rows.mjs <model-dir> <rows.jsonl> <out.jsonl> [threads]
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Tokenizer } from '@huggingface/tokenizers';
import ort from 'onnxruntime-node';

const [dir, rowsPath, out, threads = '1'] = process.argv.slice(2);
const tokenizer = new Tokenizer(JSON.parse(readFileSync(join(dir, 'tokenizer.json'), 'utf8')), JSON.parse(readFileSync(join(dir, 'tokenizer_config.json'), 'utf8')));
const session = await ort.InferenceSession.create(join(dir, 'onnx', 'model_quantized.onnx'), { intraOpNumThreads: Number(threads), interOpNumThreads: 1 });
const rows = readFileSync(rowsPath, 'utf8').trim().split('\n').map((l) => JSON.parse(l)).filter((r) => r.split === 'val' || r.split === 'test');
const ids = rows.map((r) => {
  const t = tokenizer.encode(r.text).ids;
  return t.length <= 128 ? t : [...t.slice(0, 127), t[t.length - 1]];
});
const logits = new Array(rows.length);
const order = rows.map((_, i) => i).sort((a, b) => ids[a].length - ids[b].length);
for (let s = 0; s < order.length; s += 32) {
  const idx = order.slice(s, s + 32);
  const width = Math.max(...idx.map((i) => ids[i].length));
  const a = new BigInt64Array(idx.length * width);
  const m = new BigInt64Array(idx.length * width);
  idx.forEach((i, r) => ids[i].forEach((t, j) => { a[r * width + j] = BigInt(t); m[r * width + j] = 1n; }));
  const res = await session.run({ input_ids: new ort.Tensor('int64', a, [idx.length, width]), attention_mask: new ort.Tensor('int64', m, [idx.length, width]) });
  idx.forEach((i, r) => { logits[i] = Array.from(res.logits.data.slice(r * 4, r * 4 + 4)); });
}
writeFileSync(out, rows.map((r, i) => JSON.stringify({ split: r.split, source: r.source, category: r.category, y: r.y, logits: logits[i].map((v) => Number(v.toFixed(6))) })).join('\n') + '\n');
console.log(`${dir}: ${rows.length} rows scored -> ${out}`);
