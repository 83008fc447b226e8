// Stage 5 (measure): check every exported ONNX file against PyTorch with onnxruntime-node,
// score the validation and test splits with the shipped int8 file, and time it.
//   1. fp32, fp16 and int8: logits and sigmoid scores on the 1,000 reference texts PyTorch scored
//      (batch of one), plus the same texts padded into batches of 16 (dynamic batch + masking);
//   2. int8 scores for every val/test row -> <work>/aug/scores_int8.jsonl (the model card's numbers),
//      and for the eval-only framed benign rows -> <work>/aug/framed_int8.jsonl;
//   3. p50 latency of one 64-token text, int8 and fp32, single thread: onnxruntime-node (native)
//      and onnxruntime-web's WASM (the floor's runtime).
// Usage: node measure.mjs <model-dir> <work-dir>
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ort from 'onnxruntime-node';
import * as ortWeb from 'onnxruntime-web';
import { timeRuns } from '../lib/timing.mjs';

const [modelDir, work] = process.argv.slice(2);
const ref = JSON.parse(readFileSync(join(work, 'aug', 'reference.json'), 'utf8'));
const FILES = { fp32: 'onnx/model.onnx', fp16: 'onnx/model_fp16.onnx', int8: 'onnx/model_quantized.onnx' };
const sigmoid = (x) => 1 / (1 + Math.exp(-x));

function feeds(batch) {
  const width = Math.max(...batch.map((ids) => ids.length));
  const ids = new BigInt64Array(batch.length * width);
  const mask = new BigInt64Array(batch.length * width);
  batch.forEach((row, i) => row.forEach((t, j) => { ids[i * width + j] = BigInt(t); mask[i * width + j] = 1n; }));
  return {
    input_ids: new ort.Tensor('int64', ids, [batch.length, width]),
    attention_mask: new ort.Tensor('int64', mask, [batch.length, width]),
  };
}
async function run(session, batch) {
  const out = await session.run(feeds(batch));
  const d = out.logits.data;
  const n = out.logits.dims[1];
  return batch.map((_, i) => Array.from(d.slice(i * n, (i + 1) * n)));
}

const report = { tolerance_note: 'max |difference| over 1,000 texts x 4 labels', files: {} };
const sessions = {};
for (const [dtype, file] of Object.entries(FILES)) {
  const session = await ort.InferenceSession.create(join(modelDir, file), { intraOpNumThreads: 2, interOpNumThreads: 1 });
  sessions[dtype] = session;
  let maxLogit = 0, maxProb = 0, maxBatchProb = 0, flips = 0;
  const single = [];
  for (const row of ref.rows) {
    const [z] = await run(session, [row.ids]);
    single.push(z);
    z.forEach((v, k) => {
      maxLogit = Math.max(maxLogit, Math.abs(v - row.logits[k]));
      maxProb = Math.max(maxProb, Math.abs(sigmoid(v) - sigmoid(row.logits[k])));
      if ((v > 0) !== (row.logits[k] > 0)) flips++;
    });
  }
  const order = ref.rows.map((_, i) => i).sort((a, b) => ref.rows[a].ids.length - ref.rows[b].ids.length);
  for (let s = 0; s < order.length; s += 16) {
    const idx = order.slice(s, s + 16);
    const zs = await run(session, idx.map((i) => ref.rows[i].ids));
    idx.forEach((i, j) => zs[j].forEach((v, k) => { maxBatchProb = Math.max(maxBatchProb, Math.abs(sigmoid(v) - sigmoid(single[i][k]))); }));
  }
  report.files[dtype] = { file, max_abs_logit_diff: maxLogit, max_abs_score_diff: maxProb, sign_flips_at_0_5: flips, max_abs_score_diff_batched_vs_single: maxBatchProb };
  console.log(`verify ${dtype.padEnd(4)} vs PyTorch on ${ref.rows.length} texts: max |logit diff| ${maxLogit.toExponential(2)}, max |score diff| ${maxProb.toExponential(2)}, decisions flipped at 0.5: ${flips}; padded batches of 16 vs single: ${maxBatchProb.toExponential(2)}`);
}

// int8 scores for every val/test row, in the order stage 3 wrote scores.jsonl.
const rows = readFileSync(join(work, 'rows.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l)).filter((r) => r.split !== 'train');
const logits = new Array(rows.length);
const order = rows.map((_, i) => i).sort((a, b) => rows[a].ids.length - rows[b].ids.length);
const t0 = Date.now();
for (let s = 0; s < order.length; s += 32) {
  const idx = order.slice(s, s + 32);
  const zs = await run(sessions.int8, idx.map((i) => rows[i].ids));
  idx.forEach((i, j) => { logits[i] = zs[j]; });
}
writeFileSync(join(work, 'aug', 'scores_int8.jsonl'), rows.map((r, i) => JSON.stringify({ split: r.split, source: r.source, category: r.category, y: r.y, logits: logits[i].map((v) => Number(v.toFixed(6))) })).join('\n') + '\n');
console.log(`int8 scored ${rows.length} val/test rows in ${((Date.now() - t0) / 1000).toFixed(1)} s`);

// int8 scores of the eval-only framed benign rows (2-augment/augment.mjs): benign questions of held-out sources
// inside the fiction / hypothetical wrappers that the harmful augmentation uses.
if (existsSync(join(work, 'framed_eval.jsonl'))) {
  const framed = readFileSync(join(work, 'framed_eval.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
  const out = [];
  for (let s = 0; s < framed.length; s += 32) {
    const part = framed.slice(s, s + 32);
    const zs = await run(sessions.int8, part.map((r) => r.ids));
    part.forEach((r, j) => out.push(JSON.stringify({ split: r.split, source: r.source, category: r.category, y: r.y, logits: zs[j].map((v) => Number(v.toFixed(6))) })));
  }
  writeFileSync(join(work, 'aug', 'framed_int8.jsonl'), out.join('\n') + '\n');
  console.log(`int8 scored ${framed.length} eval-only framed benign rows`);
}

// Latency: one 64-token text, single thread, on the native CPU runtime and on WASM
// (onnxruntime-web's SIMD build in Node: the kernels the browser's WASM backend runs).
const text64 = ref.rows.map((r) => r.ids).find((ids) => ids.length >= 64) ?? ref.rows[0].ids;
const ids64 = [...text64.slice(0, 63), 102];
report.latency = { tokens: ids64.length, runtime: 'onnxruntime-node 1.30.0 CPU EP, intraOpNumThreads=1, interOpNumThreads=1, batch 1', runs: 300 };
report.latency_wasm = { tokens: ids64.length, runtime: 'onnxruntime-web 1.30.0 WASM (SIMD) in Node, numThreads=1, batch 1', runs: 300 };
ortWeb.env.wasm.numThreads = 1;
for (const dtype of ['int8', 'fp32']) {
  const session = await ort.InferenceSession.create(join(modelDir, FILES[dtype]), { intraOpNumThreads: 1, interOpNumThreads: 1, executionMode: 'sequential' });
  report.latency[dtype] = await timeRuns(session, feeds([ids64]));
  await session.release();
  const web = await ortWeb.InferenceSession.create(readFileSync(join(modelDir, FILES[dtype])), { executionProviders: ['wasm'], graphOptimizationLevel: 'all' });
  const webFeeds = Object.fromEntries(Object.entries(feeds([ids64])).map(([k, v]) => [k, new ortWeb.Tensor('int64', v.data, v.dims)]));
  report.latency_wasm[dtype] = await timeRuns(web, webFeeds);
  await web.release();
  for (const [where, l] of [['native', report.latency[dtype]], ['wasm', report.latency_wasm[dtype]]]) {
    console.log(`latency ${dtype} ${where}: 64 tokens, 1 thread: p50 ${l.p50_ms.toFixed(2)} ms, p90 ${l.p90_ms.toFixed(2)} ms`);
  }
}
writeFileSync(join(work, 'verify.json'), JSON.stringify(report, null, 2) + '\n');

// Tolerances (on sigmoid scores): fail the pipeline when an exported file drifts from PyTorch.
// VERIFY_TOL (JSON) overrides them for another model (pipeline.sh states guard-use-lite's).
const TOL = { fp32: 1e-4, fp16: 5e-3, int8: 5e-2, ...JSON.parse(process.env.VERIFY_TOL ?? '{}') };
// A text's scores must not depend on its batch-mates (the int8 file quantizes activations per token).
const BATCH_TOL = 1e-4;
const bad = Object.entries(TOL).filter(([d, t]) => !(report.files[d].max_abs_score_diff <= t && report.files[d].max_abs_score_diff_batched_vs_single <= BATCH_TOL));
if (bad.length) {
  console.error(`verification FAILED for ${bad.map(([d]) => d).join(', ')} (tolerances ${JSON.stringify(TOL)})`);
  process.exit(1);
}
console.log(`verification passed (max |score diff| tolerances: ${JSON.stringify(TOL)}; batched vs single ${BATCH_TOL})`);
// onnxruntime-web's WASM would hold Node open for minutes (V8 keeps compiling it in the background).
process.exit(0);
