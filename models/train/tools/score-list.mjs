// Check only (not a recipe step): how many texts of a plain list (one a line) a model folder flags
// at its default thresholds, int8 file via onnxruntime-node, e.g. models/train/probes/short-followups.txt
// (30 context-free chat follow-ups written by hand: the first six were tried after the demo test
// failed on the first; the other 24 were written before either model scored them).
// Usage: node models/train/tools/score-list.mjs <model-dir> <list.txt>
import { readFileSync } from 'node:fs';
import ort from 'onnxruntime-node';
import { Tokenizer } from '@huggingface/tokenizers';
const [dir, file] = process.argv.slice(2);
const texts = readFileSync(file, 'utf8').split('\n').filter(Boolean);
const tok = new Tokenizer(JSON.parse(readFileSync(dir + '/tokenizer.json', 'utf8')), JSON.parse(readFileSync(dir + '/tokenizer_config.json', 'utf8')));
const m = JSON.parse(readFileSync(dir + '/manifest.json', 'utf8'));
const s = await ort.InferenceSession.create(dir + '/onnx/model_quantized.onnx');
let n = 0; const hit = [];
for (const t of texts) {
  const ids = tok.encode(t).ids;
  const { logits } = await s.run({ input_ids: new ort.Tensor('int64', BigInt64Array.from(ids.map(BigInt)), [1, ids.length]), attention_mask: new ort.Tensor('int64', BigInt64Array.from(ids.map(() => 1n)), [1, ids.length]) });
  const f = m.labels.filter((l, k) => 1 / (1 + Math.exp(-logits.data[k])) >= m.thresholds[l].fpr_1pct);
  if (f.length) { n++; hit.push(`${t} [${f}]`); }
}
console.log(`${dir}: ${n}/${texts.length} flagged`); hit.forEach((h) => console.log('  ' + h));
