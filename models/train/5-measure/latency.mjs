// p50 latency of one 64-token text through each named model's int8 file, onnxruntime-node, one
// thread, measured back to back in one process so the models share the machine's load.
// Usage: node latency.mjs <out.json> <model-dir>...
import { writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { cpus, loadavg } from 'node:os';
import ort from 'onnxruntime-node';
import { timeRuns } from '../lib/timing.mjs';

const [outFile, ...dirs] = process.argv.slice(2);
const report = { runtime: 'onnxruntime-node CPU EP, 1 thread, batch 1, 64 tokens, 300 runs after 30 warm-up', models: {} };
for (const dir of dirs) {
  const s = await ort.InferenceSession.create(join(dir, 'onnx', 'model_quantized.onnx'), { intraOpNumThreads: 1, interOpNumThreads: 1, executionMode: 'sequential' });
  const ids = Array.from({ length: 64 }, (_, i) => 1000 + i);
  const t = (a) => new ort.Tensor('int64', BigInt64Array.from(a.map(BigInt)), [1, a.length]);
  const feeds = { input_ids: t(ids), attention_mask: t(ids.map(() => 1)) };
  const m = { ...(await timeRuns(s, feeds)), load_average: +loadavg()[0].toFixed(1), cores: cpus().length };
  report.models[basename(dir)] = m;
  console.log(`${dir}: int8, 64 tokens, 1 thread: p50 ${m.p50_ms} ms, p90 ${m.p90_ms} ms, min ${m.min_ms} ms (load average ${m.load_average} on ${m.cores} cores)`);
}
writeFileSync(outFile, JSON.stringify(report, null, 2) + '\n');
