// Scores the eval-only framed benign rows (embed-rows.mjs) with the shipped design (b) model,
// int8 file, its own tokenizer (as 2-augment/augment.mjs tokenizes: [CLS] ... [SEP], at most 256 ids), so
// both designs are compared on the same texts. Output: <use-work>/bert_framed_int8.jsonl
// Usage: node score-bert-framed.mjs <bert-model-dir> <use-work-dir>
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ort from 'onnxruntime-node';
import { Tokenizer } from '@huggingface/tokenizers';

const [modelDir, useWork] = process.argv.slice(2);
const tok = new Tokenizer(JSON.parse(readFileSync(join(modelDir, 'tokenizer.json'), 'utf8')), JSON.parse(readFileSync(join(modelDir, 'tokenizer_config.json'), 'utf8')));
const rows = readFileSync(join(useWork, 'emb-rows.jsonl'), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l)).filter((r) => r.split === 'framed_test');
const session = await ort.InferenceSession.create(join(modelDir, 'onnx', 'model_quantized.onnx'), { intraOpNumThreads: 2, interOpNumThreads: 1 });
const out = [];
for (const r of rows) {
  let ids = tok.encode(r.text).ids;
  if (ids.length > 256) ids = [...ids.slice(0, 255), ids[ids.length - 1]];
  const t = new ort.Tensor('int64', BigInt64Array.from(ids.map(BigInt)), [1, ids.length]);
  const m = new ort.Tensor('int64', BigInt64Array.from(ids.map(() => 1n)), [1, ids.length]);
  const { logits } = await session.run({ input_ids: t, attention_mask: m });
  out.push(JSON.stringify({ split: r.split, source: r.source, category: r.category, y: r.y, logits: Array.from(logits.data, (v) => Number(v.toFixed(6))) }));
}
writeFileSync(join(useWork, 'bert_framed_int8.jsonl'), out.join('\n') + '\n');
console.log(`design (b) int8 scored ${rows.length} framed benign rows`);
