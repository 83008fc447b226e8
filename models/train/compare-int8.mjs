// Compares int8 files made from one fp32 file (models/train/quantize.py's modes), as docs/models.md
// "The int8 format" reports: for the first 300 reference texts of verify's reference.json, each
// file's scores alone vs in shuffled, padded batches of 1-16 (max |score difference|), against the
// fp32 file (max and mean), and the p50 of one 64-token text on one thread; on onnxruntime-node and
// on onnxruntime-web's WASM in Node.
//   node models/train/compare-int8.mjs <reference.json> <model.onnx (fp32)> <int8.onnx>...
import { readFileSync } from 'node:fs';
import ort from 'onnxruntime-node';
import * as ortWeb from 'onnxruntime-web';
const [refFile, fp32, ...files] = process.argv.slice(2);
const ref = JSON.parse(readFileSync(refFile, 'utf8')).rows.slice(0, 300);
const sig = (x) => 1 / (1 + Math.exp(-x));
function feeds(T, batch) {
  const w = Math.max(...batch.map((r) => r.length));
  const ids = new BigInt64Array(batch.length * w), mask = new BigInt64Array(batch.length * w);
  batch.forEach((r, i) => r.forEach((t, j) => { ids[i * w + j] = BigInt(t); mask[i * w + j] = 1n; }));
  return { input_ids: new T('int64', ids, [batch.length, w]), attention_mask: new T('int64', mask, [batch.length, w]) };
}
async function run(s, T, batch) { const o = await s.run(feeds(T, batch)); const d = o.logits.data, n = o.logits.dims[1]; return batch.map((_, i) => Array.from(d.slice(i * n, (i + 1) * n))); }
let seed = 7; const rnd = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
ortWeb.env.wasm.numThreads = 1;
const fs = await ort.InferenceSession.create(fp32);
const base = []; for (const r of ref) base.push((await run(fs, ort.Tensor, [r.ids]))[0]);
for (const f of files) {
  for (const [rt, T, mk] of [['node', ort.Tensor, () => ort.InferenceSession.create(f, { intraOpNumThreads: 1 })], ['web', ortWeb.Tensor, () => ortWeb.InferenceSession.create(readFileSync(f), { executionProviders: ['wasm'] })]]) {
    const s = await mk();
    const alone = []; for (const r of ref) alone.push((await run(s, T, [r.ids]))[0]);
    let dBatch = 0, dFp = 0, sumFp = 0;
    for (let rep = 0; rep < 2; rep++) {
      const order = ref.map((_, i) => i).sort(() => rnd() - 0.5);
      for (let k = 0; k < order.length;) { const n = 1 + Math.floor(rnd() * 16); const idx = order.slice(k, k + n); k += n;
        const zs = await run(s, T, idx.map((i) => ref[i].ids));
        idx.forEach((i, j) => zs[j].forEach((v, l) => { dBatch = Math.max(dBatch, Math.abs(sig(v) - sig(alone[i][l]))); })); }
    }
    alone.forEach((z, i) => z.forEach((v, l) => { const d = Math.abs(sig(v) - sig(base[i][l])); dFp = Math.max(dFp, d); sumFp += d; }));
    const ids64 = [...ref.find((r) => r.ids.length >= 64).ids.slice(0, 63), 102];
    const f64 = feeds(T, [ids64]); for (let i = 0; i < 30; i++) await s.run(f64);
    const t = []; for (let i = 0; i < 200; i++) { const t0 = process.hrtime.bigint(); await s.run(f64); t.push(Number(process.hrtime.bigint() - t0) / 1e6); }
    t.sort((a, b) => a - b);
    console.log(`${f.split('/').pop()} ${rt}: batched vs alone max|dp| ${dBatch.toExponential(2)}; vs fp32 max|dp| ${dFp.toFixed(4)} mean ${(sumFp / ref.length / 4).toExponential(2)}; p50 64 tok 1 thread ${t[100].toFixed(2)} ms`);
  }
}
process.exit(0);
