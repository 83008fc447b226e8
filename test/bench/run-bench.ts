/**
 * `npm run bench [-- --quick] [--no-build] [--no-node] [--no-chromium] [--no-webgpu] [--model NAME|/path/]`
 * `npm run bench -- --judge <hub id | tiny> [...]`: the second review's guard LLM instead (see judge-bench.ts).
 *
 * Speed of the guard, and of what it is built on, side by side in one run:
 * - headless Chromium (the built library in its Web Worker): WASM on 1 thread, WASM on several
 *   threads (a cross-origin isolated page), and WebGPU (SwiftShader here: a correctness check,
 *   its timings say nothing about real GPUs); cold load (network) and warm load (IndexedDB);
 * - the raw transformers.js `text-classification` pipeline on the same model folder (local files
 *   only), on the page's main thread and in a module worker of its own (as ours runs), so our
 *   overhead over it shows as a percentage;
 * - Node: the worker's pipeline code in-process (onnxruntime-web WASM), raw transformers.js in
 *   Node (onnxruntime-node, native), and the peers `llm_guardrail` and `vard`.
 * Per-screen latency p50/p95/p99 for short, medium and ~2k-token texts; throughput at
 * concurrency 1 and 16; memory; the normalize layer's cost per red-team technique. Prints tables and ratios; writes reports/bench.json. Speed is
 * measured here, never asserted in tests; this is not part of `npm test`.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { parseArgs } from 'node:util';
import { Tokenizer } from '@huggingface/tokenizers';
import type { Page } from 'playwright-core';
import type { GuardOptions } from '../../src/guard-options.js';
import type { LoadTimings } from '../../src/types.js';
import { launchChromium } from '../browser/harness/chromium.js';
import { startStaticServer } from '../browser/harness/static-server.js';
import { PEERS } from '../eval/baselines/index.js';
import { modelPathFor } from '../eval/model-path.js';
import { openGuardRuntime, runInPage } from '../node/guard-runtime.js';
import { BENCH_TEXTS } from './bench-texts.js';
import { judgeBench } from './judge-bench.js';
import { normalizeCosts, printNormalizeCosts } from './normalize-cost.js';
import { buildRawWorker } from './raw-worker/build-raw-worker.js';
import { peakDuring, residentMemory, resetPeaks, type ChromiumProcess } from './process-memory.js';
import { interleavedRounds, measureGuard, measureRawPipeline, type BenchGuard, type BenchPlan, type GuardTimings, type RawOptions, type RawTimings } from './measure.js';
import { overhead, ratio, summarize, type LatencySummary } from './stats.js';

const root = new URL('../../', import.meta.url).pathname;
const { values: args } = parseArgs({
  options: {
    model: { type: 'string' },
    quick: { type: 'boolean', default: false },
    'no-build': { type: 'boolean', default: false },
    'no-node': { type: 'boolean', default: false },
    'no-chromium': { type: 'boolean', default: false },
    'no-webgpu': { type: 'boolean', default: false },
    // The second review's guard LLM instead of the classifier bench (test/bench/judge-bench.ts).
    judge: { type: 'string' },
    'judge-host': { type: 'string' },
    'judge-family': { type: 'string' },
    'judge-dtype': { type: 'string' },
    'judge-runs': { type: 'string' },
  },
});

const modelUrl = modelPathFor(args.model, root);
const modelName = modelUrl.replace(/\/$/, '').split('/').pop()!;
const modelParent = modelUrl.slice(0, modelUrl.length - modelName.length - 1);
const plan: BenchPlan = args.quick
  ? { texts: BENCH_TEXTS, runs: { short: 15, medium: 15, long: 3 }, throughput: 32 }
  : { texts: BENCH_TEXTS, runs: { short: 100, medium: 100, long: 10 }, throughput: 96 };
const TEXTS = ['short', 'medium', 'long'] as const;

/** One row of the latency table. */
interface Row {
  env: 'chromium' | 'node';
  system: string;
  /** Per text: latency summary (ms). */
  latency: Record<string, LatencySummary>;
  /** The model alone, where the system has such a call (ours: classify). */
  modelOnly?: Record<string, LatencySummary>;
  throughput?: { c1: number; c16: number };
  coldMs?: number;
  warmMs?: number;
  memory?: string;
  note?: string;
  /** Raw pipeline rows in Chromium: ours and raw alternated on the same text (see `RawTimings.interleaved`). */
  interleaved?: Record<string, { classify: LatencySummary; screen: LatencySummary; raw: LatencySummary }>;
}

const rows: Row[] = [];
/** Where each Chromium mode's loads spent their time (`guard.loadTimings`), cold and warm. */
const loadPhases: { mode: string; cold: LoadTimings; warm: LoadTimings; coldMs: number; warmMs: number; firstScreenMs: number }[] = [];
/** The package leaves onnxruntime-web's WebGPU build out: the bench page serves it, as a page would (`runtime.webgpu`). */
const WEBGPU_RUNTIME = {
  webgpu: { wasm: '/node_modules/onnxruntime-web/dist/ort-wasm-simd-threaded.asyncify.wasm', mjs: '/node_modules/onnxruntime-web/dist/ort-wasm-simd-threaded.asyncify.mjs' },
};
/** URL (on the bench's static server) of the bundled raw-pipeline worker; set in main(). */
let rawWorkerUrl = '';
const notes: string[] = [];
const summaries = (ms: Record<string, number[]>) => Object.fromEntries(Object.entries(ms).map(([k, v]) => [k, summarize(v)]));

/** Scores of two systems on the same texts: the largest difference over texts and labels. */
function maxScoreDiff(a: Record<string, Record<string, number>>, b: Record<string, Record<string, number>>, texts: readonly string[] = TEXTS): number {
  let max = 0;
  for (const t of texts) for (const [label, s] of Object.entries(a[t] ?? {})) max = Math.max(max, Math.abs(s - (b[t]?.[label] ?? Number.NaN)));
  return max;
}

async function openBenchPage(isolated: boolean, cacheControl?: string) {
  const server = await startStaticServer(root, { isolated, ...(cacheControl ? { cacheControl } : {}) });
  const browser = await launchChromium();
  try {
    await browser.context.addInitScript('globalThis.__name = (fn) => fn;');
    const page = await browser.context.newPage();
    await page.goto(`${server.url}/test/bench/pages/bench.html`);
    await page.waitForFunction(() => document.body.dataset.ready === 'true', null, { timeout: 120_000 });
    return { page, userDataDir: browser.userDataDir, close: async () => { await browser.close(); await server.close(); } };
  } catch (error) {
    await browser.close();
    await server.close();
    throw error;
  }
}

/** Main-thread JS heap (CDP `Performance.getMetrics`), and where the page is isolated, every realm's memory by scope. */
async function pageMemory(page: Page, isolated: boolean): Promise<{ mainHeapMB: number; workerMB?: number; windowMB?: number }> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable');
  const { metrics } = await cdp.send('Performance.getMetrics');
  const mainHeapMB = (metrics.find((m) => m.name === 'JSHeapUsedSize')?.value ?? Number.NaN) / 2 ** 20;
  await cdp.detach();
  if (!isolated) return { mainHeapMB };
  const ua = await page.evaluate(async () => {
    const m = await (performance as unknown as { measureUserAgentSpecificMemory(): Promise<{ breakdown: { bytes: number; attribution: { scope?: string }[] }[] }> }).measureUserAgentSpecificMemory();
    let worker = 0;
    let window = 0;
    for (const b of m.breakdown) {
      if (b.attribution.some((a) => a.scope === 'DedicatedWorkerGlobalScope')) worker += b.bytes;
      else if (b.attribution.some((a) => a.scope === 'Window')) window += b.bytes;
    }
    return { worker, window };
  }).catch(() => null);
  return { mainHeapMB, ...(ua ? { workerMB: ua.worker / 2 ** 20, windowMB: ua.window / 2 ** 20 } : {}) };
}

const mb = (x: number | undefined) => (x === undefined || Number.isNaN(x) ? 'n/a' : `${x.toFixed(0)} MB`);

/** What `loadsInPage` measured: a cold load, and the median of five warm ones with the first screen after each. */
interface LoadMeasure { coldMs: number; coldPhases: LoadTimings; warmMs: number; warmPhases: LoadTimings; firstScreenMs: number }

/**
 * Runs in the bench page: a cold load (IndexedDB cleared), then five warm loads, each a fresh
 * worker as a page reload makes, each followed by the first screen a user makes 0.5 s later
 * (the language model loads meanwhile). `visit` first uses the cold guard as a short visit does
 * (a few screens, a few seconds), which lets Chromium keep the runtime's compiled code.
 */
async function loadsInPage({ options, visit }: { options: GuardOptions; visit: boolean }): Promise<LoadMeasure> {
  const { createGuard, clearModelCache } = window.guardedChat;
  const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
  await clearModelCache();
  let t = performance.now();
  const cold = await createGuard(options);
  const coldMs = performance.now() - t;
  if (visit) {
    for (const text of ['hello', 'can you help me plan a trip?', 'what is the capital of France?', 'thanks!', 'shorter please']) await cold.screen(text);
    await pause(3000);
  }
  await cold.dispose();
  const warm: { ms: number; phases: LoadTimings; firstScreenMs: number }[] = [];
  for (let i = 0; i < 5; i++) {
    t = performance.now();
    const guard = await createGuard(options);
    const ms = performance.now() - t;
    await pause(500);
    t = performance.now();
    await guard.screen('hello, can you help me plan a trip?');
    warm.push({ ms, phases: guard.loadTimings, firstScreenMs: performance.now() - t });
    await guard.dispose();
  }
  warm.sort((a, b) => a.ms - b.ms);
  const median = warm[2]!;
  return { coldMs, coldPhases: cold.loadTimings, warmMs: median.ms, warmPhases: median.phases, firstScreenMs: median.firstScreenMs };
}

/**
 * Loads as a returning visitor meets them: the page's files served as a production host serves
 * hashed assets (cacheable), so after a short first visit the reloads find the model in
 * IndexedDB and the runtime's compiled code in Chromium's code cache. The main rows' server
 * sends `no-store`, so there every load compiles the runtime again.
 */
async function returningVisitorLoads(): Promise<LoadMeasure> {
  const { page, close } = await openBenchPage(false, 'public, max-age=31536000, immutable');
  try {
    return await page.evaluate(loadsInPage, { options: { model: { url: modelUrl }, backend: 'wasm' as const }, visit: true });
  } finally {
    await close();
  }
}

/** One Chromium mode: our guard (cold, warm, timings), then the raw pipeline on the same page. */
/** Progress on stderr, so a long run shows where it is. */
const stage = (what: string) => console.error(`[bench ${new Date().toISOString().slice(11, 19)}] ${what}`);

/** The raw pipeline in its own worker (`raw-worker/raw-worker.ts`), alternated with ours from the page. */
interface RawWorkerTimings {
  loadMs: number;
  scores: Record<string, Record<string, number>>;
  interleaved: NonNullable<RawTimings['interleaved']>;
}

async function chromiumMode(mode: { name: string; isolated: boolean; backend: 'wasm' | 'webgpu'; raw: boolean }, modePlan: BenchPlan): Promise<{ ours: GuardTimings; raw?: RawTimings; rawWorker?: RawWorkerTimings }> {
  stage(`chromium, ${mode.name}: loading`);
  const { page, userDataDir, close } = await openBenchPage(mode.isolated);
  // Peak RSS: the renderer holds the page, the guard's worker and its WASM heaps; WebGPU work
  // also lands in the GPU process.
  const measured = (p: ChromiumProcess) => p.type === 'renderer' || (mode.backend === 'webgpu' && p.type === 'gpu-process');
  try {
    const oursPhase = await peakDuring(userDataDir, measured, async () => {
      // A generous deadline: the software WebGPU adapter takes seconds per long text.
      const options: GuardOptions = { model: { url: modelUrl }, backend: mode.backend, timeoutMs: 600_000, ...(mode.backend === 'webgpu' ? { runtime: WEBGPU_RUNTIME } : {}) };
      const loads = await page.evaluate(loadsInPage, { options, visit: false });
      const load = { ...loads, ...await page.evaluate(async (options) => {
        const guard = await window.guardedChat.createGuard(options);
        (window as unknown as { scriptGuard: unknown }).scriptGuard = guard;
        return { warmFromCache: guard.cache.fromNetwork.length === 0, backend: guard.backend };
      }, options) };
      loadPhases.push({ mode: mode.name, cold: load.coldPhases, warm: load.warmPhases, coldMs: load.coldMs, warmMs: load.warmMs, firstScreenMs: load.firstScreenMs });
      stage(`chromium, ${mode.name}: timing ours`);
      const ours = await runInPage(page, measureGuard, modePlan);
      return { load, ours };
    });
    const { load, ours } = oursPhase.value;
    stage(`chromium, ${mode.name}: memory`);
    const memory = await pageMemory(page, mode.isolated);
    const backend = `${load.backend.summary}${load.backend.name === 'wasm' ? `, ${load.backend.threads} thread${load.backend.threads > 1 ? 's' : ''}` : ` [${load.backend.adapter ?? 'adapter'}]`}`;
    rows.push({
      env: 'chromium', system: `ours — ${mode.name}`, latency: summaries(ours.screenMs), modelOnly: summaries(ours.classifyMs), throughput: ours.throughput,
      coldMs: load.coldMs, warmMs: load.warmMs,
      memory: `peak RSS ${mb(oursPhase.peakMB)} (+${mb(oursPhase.peakMB - oursPhase.startMB)}); ${memory.workerMB !== undefined ? `JS: worker ${mb(memory.workerMB)}, page ${mb(memory.windowMB)}` : `JS: page heap ${mb(memory.mainHeapMB)}`}`,
      note: `${backend}${load.warmFromCache ? '' : '; warm load did NOT come from IndexedDB'}`,
    });
    // The raw pipeline runs the same build of onnxruntime-web's WASM runtime as ours on this
    // backend (see src/inference/ort-runtime.ts), on as many threads.
    const runtime = mode.backend === 'wasm' ? 'ort-wasm-simd-threaded' : 'ort-wasm-simd-threaded.asyncify';
    const options: RawOptions = { localModelPath: modelParent, model: modelName, device: 'wasm', numThreads: load.backend.threads || 1,
      wasmPaths: { mjs: `/node_modules/onnxruntime-web/dist/${runtime}.mjs`, wasm: `/node_modules/onnxruntime-web/dist/${runtime}.wasm` } };
    let raw: RawTimings | undefined;
    if (mode.raw) {
      stage(`chromium, ${mode.name}: raw transformers.js`);
      const before = memory; // the page's own memory, measured just now
      const rawPhase = await peakDuring(userDataDir, measured, () => page.evaluate(async ({ source, interleaveSource, plan, options }) => {
        const fn = (0, eval)(`(${source})`) as typeof measureRawPipeline;
        const interleave = (0, eval)(`(${interleaveSource})`) as typeof interleavedRounds;
        const w = window as unknown as { transformers: unknown; scriptGuard: BenchGuard };
        return fn(w.transformers, plan, options, w.scriptGuard, interleave);
      }, { source: measureRawPipeline.toString(), interleaveSource: interleavedRounds.toString(), plan: modePlan, options }));
      raw = rawPhase.value;
      const after = await pageMemory(page, mode.isolated);
      rows.push({
        env: 'chromium', system: `raw transformers.js — ${mode.name}`, latency: summaries(raw.ms), throughput: raw.throughput, coldMs: raw.loadMs,
        memory: `peak RSS +${mb(rawPhase.peakMB - rawPhase.startMB)} over ours; ${after.windowMB !== undefined ? `JS: page +${mb(after.windowMB - (before.windowMB ?? 0))}` : `JS: page heap +${mb(after.mainHeapMB - before.mainHeapMB)}`}`,
        ...(raw.interleaved ? { interleaved: Object.fromEntries(Object.entries(raw.interleaved).map(([k, v]) => [k, { classify: summarize(v.classify), screen: summarize(v.screen), raw: summarize(v.raw) }])) } : {}),
        note: `pipeline('text-classification', dtype q8, device wasm, ${options.numThreads} thread${options.numThreads === 1 ? '' : 's'} and runtime ${runtime}.wasm as ours) on the main thread; truncates at ${raw.tokens.long} tokens; c16 = batches of 16 texts per call`,
      });
    }
    let rawWorker: RawWorkerTimings | undefined;
    if (mode.raw && rawWorkerUrl) {
      stage(`chromium, ${mode.name}: raw transformers.js in a worker`);
      rawWorker = await page.evaluate(async ({ url, options, plan, interleaveSource }) => {
        type Pending = { resolve(value: unknown): void; reject(error: Error): void };
        const worker = new Worker(url, { type: 'module' });
        const waiting = new Map<number, Pending>();
        let nextId = 0;
        worker.onmessage = (event: MessageEvent<{ id: number; result?: unknown; error?: string }>) => {
          const pending = waiting.get(event.data.id)!;
          waiting.delete(event.data.id);
          if (event.data.error !== undefined) pending.reject(new Error(event.data.error));
          else pending.resolve(event.data.result);
        };
        worker.onerror = (event) => { for (const p of waiting.values()) p.reject(new Error(event.message)); };
        const call = <T>(op: string, arg: unknown) => new Promise<T>((resolve, reject) => {
          const id = nextId++;
          waiting.set(id, { resolve: resolve as (v: unknown) => void, reject });
          worker.postMessage({ id, op, arg });
        });
        const interleave = (0, eval)(`(${interleaveSource})`) as typeof interleavedRounds;
        const guard = (window as unknown as { scriptGuard: BenchGuard }).scriptGuard;
        const { loadMs } = await call<{ loadMs: number }>('load', options);
        const scores: Record<string, Record<string, number>> = {};
        for (const name of ['short', 'medium'] as const) scores[name] = await call<Record<string, number>>('classify', plan.texts[name]);
        const interleaved = await interleave(plan, guard, (text) => call('classify', text));
        worker.terminate();
        return { loadMs, scores, interleaved };
      }, { url: rawWorkerUrl, options, plan: modePlan, interleaveSource: interleavedRounds.toString() });
      rows.push({
        env: 'chromium', system: `raw transformers.js in a worker — ${mode.name}`,
        latency: { short: summarize(rawWorker.interleaved.short!.raw), medium: summarize(rawWorker.interleaved.medium!.raw) }, coldMs: rawWorker.loadMs,
        interleaved: Object.fromEntries(Object.entries(rawWorker.interleaved).map(([k, v]) => [k, { classify: summarize(v.classify), screen: summarize(v.screen), raw: summarize(v.raw) }])),
        note: `the same pipeline and runtime in a module worker of its own (test/bench/raw-worker/), called from the page by postMessage as ours is: the like-for-like basis for our overhead; latency = its interleaved rounds`,
      });
    }
    await page.evaluate(() => (window as unknown as { scriptGuard: { dispose(): Promise<void> } }).scriptGuard.dispose());
    return { ours, ...(raw ? { raw } : {}), ...(rawWorker ? { rawWorker } : {}) };
  } finally {
    await close();
  }
}

/** Peak resident memory of this process while `fn` runs: the kernel's high-water mark, reset first. */
async function withPeakRss<T>(fn: () => Promise<T>): Promise<{ value: T; peakMB: number; startMB: number }> {
  const self = [{ pid: process.pid, type: 'node' }];
  resetPeaks(self);
  const startMB = residentMemory(self).rssMB;
  const value = await fn();
  return { value, peakMB: residentMemory(self).peakMB, startMB };
}

async function nodeRuns(): Promise<{ ours: GuardTimings; raw: RawTimings | null }> {
  stage('node: ours');
  const ours = await withPeakRss(async () => {
    const t = performance.now();
    const runtime = await openGuardRuntime('node', { modelPath: modelUrl, policy: 'balanced' });
    const loadMs = performance.now() - t;
    try {
      return { loadMs, description: runtime.description, timings: await runtime.run(measureGuard, plan) };
    } finally {
      await runtime.close();
    }
  });
  rows.push({
    env: 'node', system: 'ours — Node in-process', latency: summaries(ours.value.timings.screenMs), modelOnly: summaries(ours.value.timings.classifyMs),
    throughput: ours.value.timings.throughput, coldMs: ours.value.loadMs,
    memory: `peak RSS ${mb(ours.peakMB)} (+${mb(ours.peakMB - ours.startMB)})`, note: `${ours.value.description}; no IndexedDB in Node: no warm start`,
  });
  let raw: RawTimings | null = null;
  stage('node: raw transformers.js and peers');
  try {
    const tf = await import('@huggingface/transformers');
    const r = await withPeakRss(() => measureRawPipeline(tf, plan, { localModelPath: `${root}${modelParent.slice(1)}`, model: modelName, device: 'cpu' }));
    raw = r.value;
    rows.push({
      env: 'node', system: 'raw transformers.js — Node', latency: summaries(raw.ms), throughput: raw.throughput, coldMs: raw.loadMs,
      memory: `peak RSS ${mb(r.peakMB)} (+${mb(r.peakMB - r.startMB)})`,
      note: 'onnxruntime-node (native CPU): transformers.js has no WASM device in Node, so this row is a different runtime, not our overhead',
    });
  } catch (error) {
    notes.push(`raw transformers.js in Node failed: ${(error as Error).message}`);
  }
  for (const peer of PEERS) {
    const ms: Record<string, number[]> = {};
    for (const name of TEXTS) {
      await peer.score(plan.texts[name]);
      ms[name] = [];
      for (let i = 0; i < plan.runs[name]; i++) {
        const t = performance.now();
        await peer.score(plan.texts[name]);
        ms[name].push(performance.now() - t);
      }
    }
    const t = performance.now();
    for (let i = 0; i < plan.throughput; i++) await peer.score(plan.texts.medium);
    const c1 = plan.throughput / ((performance.now() - t) / 1000);
    rows.push({ env: 'node', system: peer.name, latency: summaries(ms), throughput: { c1, c16: Number.NaN }, note: 'synchronous JS on the calling thread: concurrency adds nothing' });
  }
  return { ours: ours.value.timings, raw };
}

function printTables(): void {
  const f = (x: number | undefined) => (x === undefined || Number.isNaN(x) ? 'n/a' : x < 10 ? x.toFixed(2) : x < 1000 ? x.toFixed(1) : x.toFixed(0));
  const cell = (s: LatencySummary | undefined) => (s ? `${f(s.p50)} / ${f(s.p95)} / ${f(s.p99)}` : 'n/a').padStart(24);
  console.log(`\n${'system'.padEnd(44)} ${'short p50/p95/p99 ms'.padStart(24)} ${'medium p50/p95/p99 ms'.padStart(24)} ${'long p50/p95/p99 ms'.padStart(24)} ${'c1/s'.padStart(7)} ${'c16/s'.padStart(7)} ${'cold ms'.padStart(8)} ${'warm ms'.padStart(8)}  memory`);
  for (const env of ['chromium', 'node'] as const) {
    for (const r of rows.filter((x) => x.env === env)) {
      console.log(`${`[${env}] ${r.system}`.padEnd(44)} ${cell(r.latency.short)} ${cell(r.latency.medium)} ${cell(r.latency.long)} ${f(r.throughput?.c1).padStart(7)} ${f(r.throughput?.c16).padStart(7)} ${f(r.coldMs).padStart(8)} ${f(r.warmMs).padStart(8)}  ${r.memory ?? ''}`);
      if (r.modelOnly) console.log(`${'    model alone (classify)'.padEnd(44)} ${cell(r.modelOnly.short)} ${cell(r.modelOnly.medium)} ${cell(r.modelOnly.long)}`);
    }
  }
  console.log('');
  for (const r of rows) if (r.note) console.log(`- [${r.env}] ${r.system}: ${r.note}`);
  if (loadPhases.length === 0) return;
  const phases = ['storeMs', 'textFilesMs', 'weightsMs', 'sessionMs', 'warmUpMs', 'totalMs'] as const;
  console.log(`\nload phases in the worker, ms (cold: network; warm: IndexedDB, the median of 5), then createGuard's wall time and the first screen 0.5 s after it.`);
  console.log('The main rows are served no-store (the runtime recompiled on every load); "returning visitor": cacheable files, so Chromium reuses the runtime\'s compiled code.');
  console.log(`${'mode'.padEnd(34)} ${phases.map((p) => p.replace(/Ms$/, '').padStart(10)).join(' ')} ${'createGuard'.padStart(12)} ${'1st screen'.padStart(11)}`);
  for (const l of loadPhases) {
    for (const [kind, t, wall, first] of [['cold', l.cold, l.coldMs, undefined], ['warm', l.warm, l.warmMs, l.firstScreenMs]] as const) {
      console.log(`${`${l.mode}, ${kind}`.padEnd(34)} ${phases.map((p) => f(t[p]).padStart(10)).join(' ')} ${f(wall).padStart(12)} ${f(first).padStart(11)}`);
    }
  }
}

/** Ratios: what a reader should take away, less sensitive to a loaded machine than raw times. */
function printRatios(): Record<string, string> {
  const out: Record<string, string> = {};
  const find = (env: string, system: string) => rows.find((r) => r.env === env && r.system === system);
  for (const mode of ['wasm, 1 thread', 'wasm, threads (isolated page)']) {
    const ours = find('chromium', `ours — ${mode}`);
    const raw = find('chromium', `raw transformers.js — ${mode}`);
    const inWorker = find('chromium', `raw transformers.js in a worker — ${mode}`);
    for (const t of ['short', 'medium'] as const) {
      const pair = inWorker?.interleaved?.[t];
      if (!pair) continue;
      out[`chromium ${mode}: ${t} — ours classify vs raw pipeline in a worker, interleaved (p50)`] = overhead(pair.classify.p50, pair.raw.p50);
      out[`chromium ${mode}: ${t} — ours full screen vs raw pipeline in a worker, interleaved (p50)`] = overhead(pair.screen.p50, pair.raw.p50);
    }
    if (!ours || !raw) continue;
    for (const t of ['short', 'medium'] as const) {
      const pair = raw.interleaved?.[t];
      if (!pair) continue;
      out[`chromium ${mode}: ${t} — ours classify vs raw pipeline on the main thread, interleaved (p50)`] = overhead(pair.classify.p50, pair.raw.p50);
      out[`chromium ${mode}: ${t} — ours full screen vs raw pipeline on the main thread, interleaved (p50)`] = overhead(pair.screen.p50, pair.raw.p50);
    }
    out[`chromium ${mode}: long — full screen (all windows) / raw pipeline (which truncates to the model's maximum length) (p50)`] = ratio(ours.latency.long!.p50, raw.latency.long!.p50);
    out[`chromium ${mode}: throughput c16 — ours / raw (batches of 16)`] = ratio(ours.throughput!.c16, raw.throughput!.c16);
    out[`chromium ${mode}: cold load — ours / raw pipeline`] = ratio(ours.coldMs!, raw.coldMs!);
  }
  const one = find('chromium', 'ours — wasm, 1 thread');
  const many = find('chromium', 'ours — wasm, threads (isolated page)');
  if (one && many) out['chromium: long screen, 1 thread / N threads (p50)'] = ratio(one.latency.long!.p50, many.latency.long!.p50);
  if (one) out['chromium wasm 1 thread: warm (IndexedDB) / cold (network) load'] = ratio(one.warmMs!, one.coldMs!);
  const node = find('node', 'ours — Node in-process');
  if (node && one) {
    for (const t of TEXTS) out[`Node in-process / Chromium worker, ${t} screen (p50)`] = ratio(node.latency[t]!.p50, one.latency[t]!.p50);
  }
  if (node) {
    for (const peer of PEERS) {
      const p = find('node', peer.name);
      if (p) for (const t of ['short', 'medium'] as const) out[`Node: ours full screen / ${peer.name}, ${t} (p50)`] = ratio(node.latency[t]!.p50, p.latency[t]!.p50);
    }
    const rawNode = find('node', 'raw transformers.js — Node');
    if (rawNode) out['Node: ours (onnxruntime-web WASM) classify / raw transformers.js (onnxruntime-node), medium (p50)'] = ratio(node.modelOnly!.medium!.p50, rawNode.latency.medium!.p50);
  }
  console.log('\ninterleaved rounds (Chromium: ours and the raw pipeline alternated on the same text, so both meet the same load), p50 ms:');
  for (const r of rows.filter((x) => x.interleaved)) {
    for (const [t, v] of Object.entries(r.interleaved!)) console.log(`  ${r.system.replace('raw transformers.js — ', '')}, ${t}: ours classify ${v.classify.p50.toFixed(1)}, ours screen ${v.screen.p50.toFixed(1)}, raw pipeline ${v.raw.p50.toFixed(1)}`);
  }
  console.log('\nratios (ours against the others):');
  for (const [k, v] of Object.entries(out)) console.log(`  ${k}: ${v}`);
  return out;
}

/** Each bench text's length in the model's own tokens (no special tokens), by the tokenizer the engine uses. */
function textTokens(): string {
  const folder = `${root}${modelUrl.slice(1)}`;
  const tokenizer = new Tokenizer(JSON.parse(readFileSync(`${folder}tokenizer.json`, 'utf8')), JSON.parse(readFileSync(`${folder}tokenizer_config.json`, 'utf8')));
  return TEXTS.map((t) => `${t} ${tokenizer.encode(plan.texts[t], { add_special_tokens: false }).ids.length} tokens`).join(', ');
}

async function main(): Promise<void> {
  const started = performance.now();
  const chromiumVersion = execFileSync('/usr/bin/chromium', ['--version']).toString().trim();
  const machine = `${cpus()[0]?.model ?? 'unknown CPU'}, ${cpus().length} cores, ${(totalmem() / 2 ** 30).toFixed(0)} GiB; ${chromiumVersion} headless; Node ${process.version}; load average at start ${loadavg()[0]!.toFixed(1)}`;
  const correctness: Record<string, number> = {};
  if (!args['no-chromium']) {
    if (!args['no-build']) execFileSync('npm', ['run', '--silent', 'build:lib'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
    rawWorkerUrl = await buildRawWorker(root);
    const one = await chromiumMode({ name: 'wasm, 1 thread', isolated: false, backend: 'wasm', raw: true }, plan);
    const many = await chromiumMode({ name: 'wasm, threads (isolated page)', isolated: true, backend: 'wasm', raw: true }, plan);
    stage('chromium, wasm, 1 thread: a returning visitor\'s loads (cacheable files)');
    const returning = await returningVisitorLoads();
    loadPhases.push({ mode: 'wasm, 1 thread, returning visitor', cold: returning.coldPhases, warm: returning.warmPhases, coldMs: returning.coldMs, warmMs: returning.warmMs, firstScreenMs: returning.firstScreenMs });
    // SwiftShader: a software adapter. A few runs to show the path works and agrees; its speed means nothing for real GPUs.
    // The ~2k-token text takes about two minutes a screen on it: one timed run.
    const gpuPlan: BenchPlan = { texts: plan.texts, runs: { short: 3, medium: 3, long: 1 }, throughput: 4 };
    const gpu = args['no-webgpu'] ? null : await chromiumMode({ name: 'webgpu (SwiftShader, correctness only)', isolated: false, backend: 'webgpu', raw: false }, gpuPlan);
    correctness['ours wasm vs raw transformers.js wasm, same page: max |score difference|'] = maxScoreDiff(one.ours.scores, one.raw!.scores, ['short', 'medium']);
    if (one.rawWorker) correctness['ours wasm vs raw transformers.js wasm in a worker: max |score difference|'] = maxScoreDiff(one.ours.scores, one.rawWorker.scores, ['short', 'medium']);
    correctness['ours wasm 1 thread vs N threads: max |score difference|'] = maxScoreDiff(one.ours.scores, many.ours.scores);
    if (gpu) correctness['ours webgpu (fp32, SwiftShader) vs wasm (int8): max |score difference|'] = maxScoreDiff(gpu.ours.scores, one.ours.scores);
    if (!args['no-node']) {
      const node = await nodeRuns();
      correctness['ours Node in-process vs Chromium worker (both int8 WASM): max |score difference|'] = maxScoreDiff(node.ours.scores, one.ours.scores);
      if (node.raw) correctness['raw transformers.js Node (onnxruntime-node) vs ours: max |score difference| (short, medium)'] = maxScoreDiff(node.raw.scores, node.ours.scores, ['short', 'medium']);
    }
    notes.push(`texts: ${textTokens()} (the long one screened as ${one.ours.windows.long} windows)`);
  } else if (!args['no-node']) {
    const node = await nodeRuns();
    notes.push(`texts: ${textTokens()} (the long one screened as ${node.ours.windows.long} windows)`);
  }
  console.log(`\nguarded-chat bench — model ${modelUrl}${args.quick ? ' (--quick)' : ''}\nmachine: ${machine}`);
  console.log(`runs per text: short ${plan.runs.short}, medium ${plan.runs.medium}, long ${plan.runs.long}; throughput: ${plan.throughput} medium screens. Latency: ours = guard.screen() (every layer) from the page or caller; "model alone" = guard.classify().`);
  printTables();
  for (const n of notes) console.log(n);
  const normalizeCost = normalizeCosts();
  printNormalizeCosts(normalizeCost);
  const ratios = printRatios();
  if (Object.keys(correctness).length) {
    console.log('\ncorrectness (the same model, different paths):');
    for (const [k, v] of Object.entries(correctness)) console.log(`  ${k}: ${v.toExponential(2)}`);
  }
  console.log(`\nload average at end ${loadavg()[0]!.toFixed(1)} on ${cpus().length} cores; bench took ${((performance.now() - started) / 1000).toFixed(0)} s`);
  mkdirSync(`${root}reports`, { recursive: true });
  writeFileSync(`${root}reports/bench.json`, JSON.stringify({ model: modelUrl, machine, quick: args.quick, date: new Date().toISOString(), plan: { runs: plan.runs, throughput: plan.throughput }, rows, loadPhases, ratios, correctness, normalizeCost, notes }, null, 2));
  console.log('wrote reports/bench.json');
}

// Exit at once: in Node, V8 keeps compiling onnxruntime-web's 27 MB WASM in the background
// (optimizing tiers) after the model is released, and would hold the process for minutes.
const run = args.judge
  ? () => judgeBench({
    judge: args.judge!,
    ...(args['judge-host'] ? { host: args['judge-host'] } : {}),
    ...(args['judge-family'] ? { family: args['judge-family'] } : {}),
    ...(args['judge-dtype'] ? { dtype: args['judge-dtype'] } : {}),
    runs: Number(args['judge-runs'] ?? (args.quick ? 3 : 10)),
    webgpu: !args['no-webgpu'],
  })
  : main;
run().then(() => process.exit(0), (error) => {
  console.error(error);
  process.exit(1);
});
