// The ported encoder ONNX, run by onnxruntime-node on dense padded input_ids + attention_mask,
// against the TF.js graph's embeddings (tfjs-embed.mjs) for the same token ids: max |difference|
// over all texts x 512 dimensions, batch of one and padded batches of 32. Fails above 1e-4.
// Usage: node check-encoder-onnx.mjs <encoder.onnx> <tfjs-reference.json> <out.json>
import { readFileSync, writeFileSync } from 'node:fs';
import ort from 'onnxruntime-node';

const [onnxFile, refFile, outFile] = process.argv.slice(2);
// The TF.js graph keeps the first 128 positions (ClipToMaxLength); the ONNX gets those 128 ids.
const ref = JSON.parse(readFileSync(refFile, 'utf8')).rows.map((r) => ({ ...r, ids: r.ids.slice(0, 128) }));
const session = await ort.InferenceSession.create(onnxFile, { intraOpNumThreads: 2, interOpNumThreads: 1 });
async function embed(batch) {
  const width = Math.max(1, ...batch.map((r) => r.ids.length));
  const ids = new BigInt64Array(batch.length * width);
  const mask = new BigInt64Array(batch.length * width);
  batch.forEach((r, i) => r.ids.forEach((t, j) => { ids[i * width + j] = BigInt(t); mask[i * width + j] = 1n; }));
  const out = await session.run({ input_ids: new ort.Tensor('int64', ids, [batch.length, width]), attention_mask: new ort.Tensor('int64', mask, [batch.length, width]) });
  return out.embedding.data;
}
let single = 0, batched = 0;
for (const r of ref) {
  const e = await embed([r]);
  r.embedding.forEach((v, k) => { single = Math.max(single, Math.abs(v - e[k])); });
}
for (let s = 0; s < ref.length; s += 32) {
  const part = ref.slice(s, s + 32);
  const e = await embed(part);
  part.forEach((r, i) => r.embedding.forEach((v, k) => { batched = Math.max(batched, Math.abs(v - e[i * 512 + k])); }));
}
const maxAbs = Math.max(single, batched);
writeFileSync(outFile, JSON.stringify({ texts: ref.length, max_abs_diff: maxAbs, batch_of_one: single, padded_batches_of_32: batched }, null, 2) + '\n');
console.log(`encoder ONNX (onnxruntime-node) vs TF.js on ${ref.length} texts: max |embedding diff| ${maxAbs.toExponential(3)} (batch of one ${single.toExponential(2)}, padded batches of 32 ${batched.toExponential(2)})`);
if (!(maxAbs <= 1e-4)) { console.error('encoder check FAILED (limit 1e-4)'); process.exit(1); }
