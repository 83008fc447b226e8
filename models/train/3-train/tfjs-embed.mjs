// Reference embeddings: the original USE-lite TF.js graph run by TF.js on token ids from the
// reference tokenizer, fed in the model's own input format (sparse `indices` [n, 2] =
// (sentence, position) and `values` [n] = token id). Runtime, by the 4th argument:
//   wasm (default): @energetic-ai/core, the TF.js build @energetic-ai runs this model with
//                   (tfjs-core + tfjs-converter + the WASM backend);
//   cpu:            @tensorflow/tfjs with its pure-JS CPU backend (~10x slower here).
// Usage: node tfjs-embed.mjs <package-dist-dir> <texts.jsonl> <out.json> [wasm|cpu] [batch]
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { UseTokenizer } from '../1-prepare/use-tokenizer.mjs';

const [dist, textsFile, outFile, runtimeArg, batchArg] = process.argv.slice(2);
const RUNTIME = runtimeArg ?? 'wasm';
const BATCH = Number(batchArg ?? 25);
const require = createRequire(import.meta.url);
const tf = RUNTIME === 'cpu' ? await import('@tensorflow/tfjs') : require('@energetic-ai/core');

export async function loadUseGraph(dir) {
  const manifest = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8'));
  const group = manifest.weightsManifest[0];
  const shards = group.paths.map((p) => readFileSync(join(dir, p)));
  const all = Buffer.concat(shards);
  const weightData = all.buffer.slice(all.byteOffset, all.byteOffset + all.byteLength);
  return tf.loadGraphModel(tf.io.fromMemory({ modelTopology: manifest.modelTopology, weightSpecs: group.weights, weightData }));
}

await tf.setBackend(RUNTIME);
await tf.ready();
const model = await loadUseGraph(dist);
const tok = new UseTokenizer(JSON.parse(readFileSync(join(dist, 'vocab.json'), 'utf8')));
const texts = readFileSync(textsFile, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l).text);
const allIds = texts.map((t) => tok.encode(t));
// Batches of similar length (the graph pads each batch to its longest text); output in input order.
const order = allIds.map((_, i) => i).sort((a, b) => allIds[a].length - allIds[b].length);
const rows = new Array(texts.length);
let done = 0;
const t0 = Date.now();
for (let s = 0; s < order.length; s += BATCH) {
  const idx = order.slice(s, s + BATCH);
  const ids = idx.map((i) => allIds[i]);
  const indices = ids.flatMap((seq, i) => seq.map((_, j) => [i, j]));
  const values = ids.flat();
  const feeds = { indices: tf.tensor2d(indices, [indices.length, 2], 'int32'), values: tf.tensor1d(values, 'int32') };
  const out = await model.executeAsync(feeds);
  const emb = await out.array();
  tf.dispose([feeds.indices, feeds.values, out]);
  idx.forEach((i, j) => { rows[i] = { ids: ids[j], embedding: emb[j] }; });
  done += idx.length;
  if ((s / BATCH) % 8 === 0) console.log(`tfjs: ${done}/${texts.length} texts, ${((Date.now() - t0) / 1000).toFixed(0)} s`);
}
const runtime = RUNTIME === 'cpu' ? `@tensorflow/tfjs ${tf.version.tfjs}, cpu backend` : `@energetic-ai/core (tfjs-core ${tf.version['tfjs-core']}), ${tf.getBackend()} backend`;
writeFileSync(outFile, JSON.stringify({ runtime, rows }));
console.log(`runtime: ${runtime}`);
console.log(`tfjs: embedded ${rows.length} texts in ${((Date.now() - t0) / 1000).toFixed(1)} s -> ${outFile}`);
