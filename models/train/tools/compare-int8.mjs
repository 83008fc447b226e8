// Compares int8 files made from one fp32 file (models/train/4-export/quantize.py's modes), as docs/models.md
// "The int8 format" reports. For the first 300 texts of verify's reference.json, on
// onnxruntime-node and on onnxruntime-web's WASM in Node: each file's scores alone against the
// same texts in shuffled, padded batches of 1–16 (max |score difference|), against the fp32 file
// (max and mean), and the p50 of one 64-token text on one thread.
//   node models/train/tools/compare-int8.mjs <reference.json> <model.onnx (fp32)> <int8.onnx>...
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import ort from 'onnxruntime-node';
import * as ortWeb from 'onnxruntime-web';
import { timeRuns } from '../lib/timing.mjs';

const [refFile, fp32File, ...files] = process.argv.slice(2);
const texts = JSON.parse(readFileSync(refFile, 'utf8')).rows.slice(0, 300).map((r) => r.ids);
const sigmoid = (x) => 1 / (1 + Math.exp(-x));
ortWeb.env.wasm.numThreads = 1;

/** Right-padded int64 inputs for a batch of token-id rows. */
function feeds(Tensor, batch) {
  const width = Math.max(...batch.map((r) => r.length));
  const ids = new BigInt64Array(batch.length * width);
  const mask = new BigInt64Array(batch.length * width);
  batch.forEach((row, i) => row.forEach((t, j) => { ids[i * width + j] = BigInt(t); mask[i * width + j] = 1n; }));
  return { input_ids: new Tensor('int64', ids, [batch.length, width]), attention_mask: new Tensor('int64', mask, [batch.length, width]) };
}

async function scores(session, Tensor, batch) {
  const out = await session.run(feeds(Tensor, batch));
  const data = out.logits.data;
  const labels = out.logits.dims[1];
  return batch.map((_, i) => Array.from(data.slice(i * labels, (i + 1) * labels), sigmoid));
}

async function alone(session, Tensor) {
  const out = [];
  for (const ids of texts) out.push((await scores(session, Tensor, [ids]))[0]);
  return out;
}

/** Largest |score difference| between each text alone and in two shuffled passes of random-sized batches. */
async function batchedVsAlone(session, Tensor, single) {
  let seed = 7;
  const random = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
  let worst = 0;
  for (let pass = 0; pass < 2; pass++) {
    const order = texts.map((_, i) => i).sort(() => random() - 0.5);
    for (let k = 0; k < order.length;) {
      const group = order.slice(k, k + 1 + Math.floor(random() * 16));
      k += group.length;
      const batch = await scores(session, Tensor, group.map((i) => texts[i]));
      group.forEach((i, j) => batch[j].forEach((p, l) => { worst = Math.max(worst, Math.abs(p - single[i][l])); }));
    }
  }
  return worst;
}

async function p50Of64Tokens(session, Tensor) {
  const input = feeds(Tensor, [[...texts.find((ids) => ids.length >= 64).slice(0, 63), 102]]);
  return (await timeRuns(session, input, 200)).p50_ms;
}

const reference = await alone(await ort.InferenceSession.create(fp32File), ort.Tensor);
const runtimes = [
  ['onnxruntime-node', ort.Tensor, (f) => ort.InferenceSession.create(f, { intraOpNumThreads: 1 })],
  ['onnxruntime-web WASM', ortWeb.Tensor, (f) => ortWeb.InferenceSession.create(readFileSync(f), { executionProviders: ['wasm'] })],
];
for (const file of files) {
  for (const [runtime, Tensor, open] of runtimes) {
    const session = await open(file);
    const single = await alone(session, Tensor);
    const diffs = single.flatMap((row, i) => row.map((p, l) => Math.abs(p - reference[i][l])));
    const batched = await batchedVsAlone(session, Tensor, single);
    const p50 = await p50Of64Tokens(session, Tensor);
    console.log(`${basename(file)}, ${runtime}: padded batches vs alone max |Δp| ${batched.toExponential(2)}; vs fp32 max ${Math.max(...diffs).toFixed(4)}, ` +
      `mean ${(diffs.reduce((a, b) => a + b, 0) / diffs.length).toExponential(2)}; 64 tokens, 1 thread, p50 ${p50.toFixed(2)} ms`);
  }
}
// onnxruntime-web's WASM would hold Node open for minutes (V8 keeps compiling it in the background).
process.exit(0);
