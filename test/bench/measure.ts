/**
 * What the bench runs where the guard lives (a page, or Node). The `GuardScript`s are sent to the
 * page as source text: each must not refer to anything outside itself but its arguments.
 */
import type { GuardScript } from '../node/guard-runtime.js';

/** How much to run: timed screens per text, and screens per throughput run. */
export interface BenchPlan {
  texts: { short: string; medium: string; long: string };
  runs: { short: number; medium: number; long: number };
  throughput: number;
  /** Which texts to time (default all three). */
  only?: ('short' | 'medium' | 'long')[];
}

/** Raw timings of one guard: the caller summarizes them. */
export interface GuardTimings {
  tokens: Record<string, number>;
  windows: Record<string, number>;
  /** `guard.screen()` (every layer), ms per run, per text. */
  screenMs: Record<string, number[]>;
  /** `guard.classify()` (the model alone), ms per run, per text. */
  classifyMs: Record<string, number[]>;
  /** Screens per second of the medium text: one at a time, and 16 in flight. */
  throughput: { c1: number; c16: number };
  /** The model's scores for each text, to check that two runtimes agree. */
  scores: Record<string, Record<string, number>>;
}

export const measureGuard: GuardScript<BenchPlan, GuardTimings> = async (guard, plan) => {
  const out: GuardTimings = { tokens: {}, windows: {}, screenMs: {}, classifyMs: {}, throughput: { c1: 0, c16: 0 }, scores: {} };
  for (const name of plan.only ?? (['short', 'medium', 'long'] as const)) {
    const text = plan.texts[name];
    const screen: number[] = [];
    const classify: number[] = [];
    // One run only (a slow adapter's long text): time the first screen and classify rather than
    // run each twice; the model itself is warm by then (the guard warms it up at load).
    const single = plan.runs[name] === 1;
    let t = performance.now();
    const first = await guard.classify(text);
    if (single) classify.push(performance.now() - t);
    out.tokens[name] = first.tokens;
    out.windows[name] = first.windows;
    out.scores[name] = first.scores;
    t = performance.now();
    await guard.screen(text); // otherwise not timed: the first screen of this text
    if (single) screen.push(performance.now() - t);
    for (let i = 0; i < (single ? 0 : plan.runs[name]); i++) {
      t = performance.now();
      await guard.screen(text);
      screen.push(performance.now() - t);
      t = performance.now();
      await guard.classify(text);
      classify.push(performance.now() - t);
    }
    out.screenMs[name] = screen;
    out.classifyMs[name] = classify;
  }
  // Throughput: the same number of screens, one at a time, then with 16 in flight.
  let t = performance.now();
  for (let i = 0; i < plan.throughput; i++) await guard.screen(plan.texts.medium);
  out.throughput.c1 = plan.throughput / ((performance.now() - t) / 1000);
  t = performance.now();
  let next = 0;
  const lane = async () => {
    while (next < plan.throughput) {
      next++;
      await guard.screen(plan.texts.medium);
    }
  };
  await Promise.all(Array.from({ length: 16 }, lane));
  out.throughput.c16 = plan.throughput / ((performance.now() - t) / 1000);
  return out;
};

/** Raw transformers.js timings: the `text-classification` pipeline on the same model folder. */
export interface RawTimings {
  loadMs: number;
  device: string;
  /** Tokens the pipeline kept per text (it truncates at the model's maximum length). */
  tokens: Record<string, number>;
  ms: Record<string, number[]>;
  /** Medium text: one at a time; and 16 texts per call (the pipeline's own batching: one session runs one call at a time). */
  throughput: { c1: number; c16: number };
  scores: Record<string, Record<string, number>>;
  /**
   * With a guard given: rounds that alternate ours and the raw pipeline on the same text (our
   * classify, our screen, the raw pipeline), so that both meet the same machine load: the fair
   * basis for an overhead percentage on a busy machine. ms per run, per text (short, medium).
   */
  interleaved?: Record<string, { classify: number[]; screen: number[]; raw: number[] }>;
}

/** What the interleaved rounds call on our side. */
export interface BenchGuard {
  classify(text: string): Promise<unknown>;
  screen(text: string): Promise<unknown>;
}

/**
 * Rounds that alternate our classify, our screen and one raw pipeline call on the same text
 * (short, medium), so that both meet the same machine load. Self-contained: sent to the page as
 * source text, like the `GuardScript`s.
 */
export async function interleavedRounds(plan: BenchPlan, guard: BenchGuard, raw: (text: string) => Promise<unknown>): Promise<NonNullable<RawTimings['interleaved']>> {
  const out: Record<string, { classify: number[]; screen: number[]; raw: number[] }> = {};
  for (const name of ['short', 'medium'] as const) {
    const text = plan.texts[name];
    const round = { classify: [] as number[], screen: [] as number[], raw: [] as number[] };
    for (let i = 0; i < plan.runs[name]; i++) {
      let t = performance.now();
      await guard.classify(text);
      round.classify.push(performance.now() - t);
      t = performance.now();
      await guard.screen(text);
      round.screen.push(performance.now() - t);
      t = performance.now();
      await raw(text);
      round.raw.push(performance.now() - t);
    }
    out[name] = round;
  }
  return out;
}

/** Options for `measureRawPipeline`: where the model folder is, and which onnxruntime backs the pipeline. */
export interface RawOptions {
  localModelPath: string;
  model: string;
  device: 'wasm' | 'cpu';
  /**
   * Browser only: serve onnxruntime-web's runtime files from here, never from a CDN; a folder,
   * or the exact `.mjs`/`.wasm` pair (to run the same build of the runtime as ours).
   */
  wasmPaths?: string | { mjs: string; wasm: string };
  /** Browser only: WASM threads, set to what our guard runs on for a like-for-like comparison. */
  numThreads?: number;
}

/**
 * The raw pipeline, measured the way `measureGuard` measures ours. `tf` is the transformers.js
 * module (the page's, or Node's). Local files only: remote models are refused.
 * With `guard` and `interleave` (`interleavedRounds`, passed in because this function is sent
 * to the page as source text and cannot reach it), also the interleaved rounds.
 */
export async function measureRawPipeline(tf: any, plan: BenchPlan, options: RawOptions, guard?: BenchGuard, interleave?: typeof interleavedRounds): Promise<RawTimings> {
  const { env, pipeline, AutoTokenizer } = tf;
  env.allowRemoteModels = false;
  env.allowLocalModels = true;
  env.localModelPath = options.localModelPath;
  env.useBrowserCache = false;
  if (options.wasmPaths) env.backends.onnx.wasm.wasmPaths = options.wasmPaths;
  if (options.numThreads) env.backends.onnx.wasm.numThreads = options.numThreads;
  let t = performance.now();
  const classifier = await pipeline('text-classification', options.model, { dtype: 'q8', device: options.device });
  const loadMs = performance.now() - t;
  const tokenizer = await AutoTokenizer.from_pretrained(options.model);
  const asScores = (out: { label: string; score: number }[]) => Object.fromEntries(out.map((o) => [o.label, o.score]));
  const out: RawTimings = { loadMs, device: options.device, tokens: {}, ms: {}, throughput: { c1: 0, c16: 0 }, scores: {} };
  for (const name of ['short', 'medium', 'long'] as const) {
    const text = plan.texts[name];
    out.tokens[name] = tokenizer(text, { truncation: true }).input_ids.dims.at(-1) - 2;
    out.scores[name] = asScores(await classifier(text, { top_k: null }));
    const ms: number[] = [];
    for (let i = 0; i < plan.runs[name]; i++) {
      t = performance.now();
      await classifier(text, { top_k: null });
      ms.push(performance.now() - t);
    }
    out.ms[name] = ms;
  }
  t = performance.now();
  for (let i = 0; i < plan.throughput; i++) await classifier(plan.texts.medium, { top_k: null });
  out.throughput.c1 = plan.throughput / ((performance.now() - t) / 1000);
  t = performance.now();
  for (let done = 0; done < plan.throughput; done += 16) {
    await classifier(Array.from({ length: Math.min(16, plan.throughput - done) }, () => plan.texts.medium), { top_k: null });
  }
  out.throughput.c16 = plan.throughput / ((performance.now() - t) / 1000);
  if (guard && interleave) out.interleaved = await interleave(plan, guard, (text) => classifier(text, { top_k: null }));
  await classifier.dispose?.();
  return out;
}
