// p50 latency of one 64-token text through each named model's int8 file, onnxruntime-node, one
// thread, measured back to back in one process so the models share the machine's load.
// Usage: node latency.mjs <out.json> <model-dir>...
import { writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { cpus, loadavg } from 'node:os';
import ort from 'onnxruntime-node';

const [outFile, ...dirs] = process.argv.slice(2);
const report = { runtime: 'onnxruntime-node CPU EP, 1 thread, batch 1, 64 tokens, 300 runs after 30 warm-up', models: {} };
for (const dir of dirs) {
  const s = await ort.InferenceSession.create(join(dir, 'onnx', 'model_quantized.onnx'), { intraOpNumThreads: 1, interOpNumThreads: 1, executionMode: 'sequential' });
  const ids = Array.from({ length: 64 }, (_, i) => 1000 + i);
  const t = (a) => new ort.Tensor('int64', BigInt64Array.from(a.map(BigInt)), [1, a.length]);
  const feeds = { input_ids: t(ids), attention_mask: t(ids.map(() => 1)) };
  for (let i = 0; i < 30; i++) await s.run(feeds);
  const times = [];
  for (let i = 0; i < 300; i++) {
    const t0 = process.hrtime.bigint();
    await s.run(feeds);
    times.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  times.sort((a, b) => a - b);
  report.models[basename(dir)] = { p50_ms: +times[150].toFixed(2), p90_ms: +times[270].toFixed(2), min_ms: +times[0].toFixed(2), load_average: +loadavg()[0].toFixed(1), cores: cpus().length };
  console.log(`${dir}: int8, 64 tokens, 1 thread: p50 ${times[150].toFixed(2)} ms, p90 ${times[270].toFixed(2)} ms, min ${times[0].toFixed(2)} ms (load average ${loadavg()[0].toFixed(1)} on ${cpus().length} cores)`);
}
writeFileSync(outFile, JSON.stringify(report, null, 2) + '\n');
