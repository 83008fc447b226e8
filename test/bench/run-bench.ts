/**
 * `npm run bench`: loads and screening speed of the built library in headless Chromium, on
 * WASM (1 thread, and several threads on a cross-origin isolated page) and WebGPU.
 * Prints a table and writes reports/bench.json. Speed is measured here, never asserted in tests.
 *
 *   npm run bench [-- --model <folder URL path>] [--short N] [--long N] [--no-build]
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { parseArgs } from 'node:util';
import { modelPathFor } from '../eval/model-path.js';
import { openBuiltLibraryPage } from '../browser/harness/built-library-page.js';

const root = new URL('../../', import.meta.url).pathname;
const { values: args } = parseArgs({
  options: {
    model: { type: 'string' },
    short: { type: 'string', default: '200' },
    long: { type: 'string', default: '30' },
    'no-build': { type: 'boolean', default: false },
  },
});

const modelUrl = modelPathFor(args.model, root);

/** About 64 tokens: the size the shipped-model latency floor is stated for. */
const SHORT_TEXT = 'I am planning a weekend trip to Lisbon with two friends in early May. Could you suggest a relaxed itinerary with a few museums, a good place for seafood, and a sunset viewpoint? We will be walking mostly, so please keep things close together.';
const PROSE = [
  'The committee reviewed the quarterly budget and approved the new library hours.',
  'Rainfall in the valley was higher than usual, so the farmers delayed the harvest.',
  'She practised the piano every evening and performed at the spring recital.',
  'The museum opened a new wing dedicated to early maritime navigation tools.',
];
const LONG_TEXT = Array.from({ length: 110 }, (_, i) => PROSE[i % PROSE.length]).join(' ');

interface Run {
  mode: string;
  backend: string;
  coldLoadMs: number;
  warmLoadMs: number;
  warmFromCache: boolean;
  short: { tokens: number; p50: number; p95: number; classifyP50: number };
  long: { tokens: number; windows: number; p50: number; p95: number };
}

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
};

async function measure(isolated: boolean, backend: 'wasm' | 'webgpu', mode: string, runs: { short: number; long: number }): Promise<Run> {
  const { page, close } = await openBuiltLibraryPage(root, { isolated });
  try {
    const raw = await page.evaluate(async ({ url, backend, shortText, longText, shortRuns, longRuns }) => {
      const { createGuard, clearModelCache } = window.guardedChat;
      await clearModelCache();
      let t = performance.now();
      // A generous deadline: the software WebGPU adapter takes seconds per long text.
      const cold = await createGuard({ model: { url }, backend, timeoutMs: 600_000 });
      const coldLoadMs = performance.now() - t;
      await cold.dispose();
      t = performance.now();
      const guard = await createGuard({ model: { url }, backend, timeoutMs: 600_000 });
      const warmLoadMs = performance.now() - t;
      // Timed: the full layered screen (what a page calls); tokens and windows from the classifier.
      const time = async (text: string, runs: number) => {
        const ms: number[] = [];
        const { tokens, windows } = await guard.classify(text);
        await guard.screen(text); // not timed: first screen of this text
        for (let i = 0; i < runs; i++) {
          const start = performance.now();
          await guard.screen(text);
          ms.push(performance.now() - start);
        }
        return { ms, tokens, windows };
      };
      const short = await time(shortText, shortRuns);
      // The classifier alone (no rules, no policy): the model's own latency through the worker.
      const classifyMs: number[] = [];
      for (let i = 0; i < shortRuns; i++) {
        const start = performance.now();
        await guard.classify(shortText);
        classifyMs.push(performance.now() - start);
      }
      const long = await time(longText, longRuns);
      const info = { backend: guard.backend, warmFromCache: guard.cache.fromNetwork.length === 0 };
      await guard.dispose();
      return { coldLoadMs, warmLoadMs, short, long, info, classifyMs };
    }, { url: modelUrl, backend, shortText: SHORT_TEXT, longText: LONG_TEXT, shortRuns: runs.short, longRuns: runs.long });
    return {
      mode,
      backend: raw.info.backend.summary + (raw.info.backend.name === 'wasm' ? ` (${raw.info.backend.threads} thread${raw.info.backend.threads > 1 ? 's' : ''})` : ` [${raw.info.backend.adapter}]`),
      coldLoadMs: raw.coldLoadMs,
      warmLoadMs: raw.warmLoadMs,
      warmFromCache: raw.info.warmFromCache,
      short: { tokens: raw.short.tokens, p50: percentile(raw.short.ms, 50), p95: percentile(raw.short.ms, 95), classifyP50: percentile(raw.classifyMs, 50) },
      long: { tokens: raw.long.tokens, windows: raw.long.windows, p50: percentile(raw.long.ms, 50), p95: percentile(raw.long.ms, 95) },
    };
  } finally {
    await close();
  }
}

async function main(): Promise<void> {
  if (!args['no-build']) execFileSync('npm', ['run', '--silent', 'build'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
  const runs: Run[] = [];
  const full = { short: Number(args.short), long: Number(args.long) };
  runs.push(await measure(false, 'wasm', 'wasm, 1 thread', full));
  runs.push(await measure(true, 'wasm', 'wasm, cross-origin isolated', full));
  // SwiftShader is slow: fewer runs, so the bench ends in minutes (its speed means nothing for real GPUs).
  runs.push(await measure(false, 'webgpu', 'webgpu (forced)', { short: Math.min(full.short, 40), long: Math.min(full.long, 5) }));
  const chromium = execFileSync('/usr/bin/chromium', ['--version']).toString().trim();
  const machine = `${cpus()[0]?.model ?? 'unknown CPU'}, ${cpus().length} cores, ${(totalmem() / 2 ** 30).toFixed(0)} GiB; ${chromium} headless`;
  const f = (ms: number) => ms.toFixed(ms < 10 ? 2 : 1).padStart(8);
  console.log(`\nguarded-chat bench — model ${modelUrl}\nmachine: ${machine}`);
  console.log('cold load: IndexedDB cleared, files from the local server; warm load: files from IndexedDB. Latency: guard.screen() round trip from the page, ms.\n');
  console.log(`${'mode'.padEnd(30)} ${'cold load'.padStart(9)} ${'warm load'.padStart(9)} | short p50  short p95 classify p50 | long p50   long p95`);
  for (const r of runs) {
    console.log(`${r.mode.padEnd(30)} ${f(r.coldLoadMs)}  ${f(r.warmLoadMs)}  | ${f(r.short.p50)} ${f(r.short.p95)}    ${f(r.short.classifyP50)} | ${f(r.long.p50)} ${f(r.long.p95)}`);
  }
  const first = runs[0]!;
  console.log(`\nshort = ${first.short.tokens} tokens (screen: all layers; classify: the model alone); long = ${first.long.windows} windows holding ${first.long.tokens} tokens in all (128-token and fine 32-token passes). Backends:`);
  for (const r of runs) console.log(`  ${r.mode}: ${r.backend}${r.warmFromCache ? '' : ' — warm load did NOT come from IndexedDB'}`);
  console.log('WebGPU here is a software (SwiftShader) adapter: its timings say nothing about real GPUs.');
  mkdirSync(`${root}reports`, { recursive: true });
  writeFileSync(`${root}reports/bench.json`, JSON.stringify({ model: modelUrl, machine, date: new Date().toISOString(), runs }, null, 2));
  console.log('wrote reports/bench.json');
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
