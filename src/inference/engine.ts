import { GuardError } from '../errors.js';
import { ModelFileLoader } from '../store/model-file-loader.js';
import type { ResolvedModelSource } from '../store/model-source.js';
import { ModelStore } from '../store/model-store.js';
import type { DownloadRetry } from '../store/download-retry.js';
import type { BackendInfo, BackendName, BackendRequest, CacheReport, LoadProgress, LoadTimings, ModelDtype, RuntimeUrls, ScreenResult } from '../types.js';
import { sigmoid, softmax } from './activation.js';
import { chooseBackend, probeWebGpu, type BackendChoice, type WebGpuProbe } from './backend.js';
import { BatchQueue } from './batch-queue.js';
import { hasWebGpuWeights, modelFileCandidates } from './model-files.js';
import { configureOrt, ort, runtimeFilesFor } from './ort-runtime.js';
import { TextClassifier, type ModelConfig, type ModelParts, type TokenizerConfigJson } from './text-classifier.js';
import { DEFAULT_RUN_LIMITS } from './token-batch.js';
import { textLogits, type WindowOptions } from './windows.js';

/** What the engine needs to start: plain data (it crosses the worker boundary). */
export interface EngineInit {
  source: ResolvedModelSource;
  dtype: ModelDtype;
  backend: BackendRequest;
  /** Keep files in IndexedDB. */
  cache: boolean;
  window: WindowOptions;
  /** How downloads are retried (defaults when absent). */
  download?: DownloadRetry;
  /** The page's runtime files (absolute URLs), over the bundled ones. */
  runtime?: RuntimeUrls;
  /** The policy has a language step: the worker loads its model once the classifier is ready. */
  prepareLanguage?: boolean;
}

/** Callbacks from the engine to whoever hosts it. */
export interface EngineHooks {
  onProgress?: (progress: LoadProgress) => void;
  /** The backend changed after start-up (WebGPU device lost → WASM). */
  onBackendChange?: (backend: BackendInfo) => void;
  signal?: AbortSignal;
}

interface Job {
  rows: number[][];
  mainWindows: number;
  tokenizeMs: number;
  enqueuedAt: number;
}

interface JobOutput {
  probabilities: number[];
  inferenceMs: number;
  queuedMs: number;
}

const TEXT_FILES = ['config.json', 'tokenizer.json', 'tokenizer_config.json'] as const;

const describe = (choice: BackendChoice, threads: number, modelFile: string, adapter?: string): BackendInfo => ({
  name: choice.name,
  reason: choice.reason,
  summary: `${choice.name}: ${choice.reason}`,
  threads: choice.name === 'wasm' ? threads : 0,
  modelFile,
  ...(choice.name === 'webgpu' && adapter ? { adapter } : {}),
});

/**
 * The classifier engine: loads a model (cache first, verified), picks the backend, and
 * screens texts. Calls that arrive together share one model run; long texts become windows
 * batched into runs; a lost WebGPU device is replaced by a WASM session without dropping the
 * screens waiting for it.
 */
export class ClassifierEngine {
  private readonly queue: BatchQueue<Job, JobOutput>;
  private recovering: Promise<void> | null = null;
  private released = false;

  private constructor(
    private classifier: TextClassifier,
    private info: BackendInfo,
    private readonly init: EngineInit,
    private readonly textParts: Omit<ModelParts, 'weights' | 'weightsFile'>,
    private readonly store: ModelStore | null,
    private readonly hooks: EngineHooks,
    readonly cacheReport: CacheReport,
    /** Per-label thresholds the model's manifest calibrated (benign FPR 1% and 0.1%), if it has them. */
    readonly calibration: Calibration,
    /** Logits per ln(main windows) taken off a long text's score, per label in model order (see `textLogits`); null when none applies. */
    readonly windowPenalty: number[] | null,
    /** Where the load spent its time (the warm-up and total are filled in once it ran). */
    readonly loadTimings: LoadTimings,
  ) {
    this.queue = new BatchQueue((jobs) => this.runJobs(jobs), { maxRows: DEFAULT_RUN_LIMITS.maxRows, rowsOf: (job) => job.rows.length });
  }

  get backend(): BackendInfo {
    return this.info;
  }

  get labels(): readonly string[] {
    return this.classifier.labels;
  }

  /** Batching so far: model runs and the texts they carried. */
  get batchStats(): { runs: number; jobs: number; largestRun: number } {
    return { ...this.queue.stats };
  }

  static async create(init: EngineInit, hooks: EngineHooks = {}): Promise<ClassifierEngine> {
    const started = performance.now();
    const timings: LoadTimings = { storeMs: 0, textFilesMs: 0, weightsMs: 0, sessionMs: 0, warmUpMs: 0, totalMs: 0 };
    const { store, problem: storeProblem } = await ModelStore.openForLoad(init.cache);
    const loader = new ModelFileLoader(init.source, store, {
      ...(hooks.signal ? { signal: hooks.signal } : {}),
      ...(hooks.onProgress ? { onProgress: hooks.onProgress } : {}),
      ...(init.download ? { retry: init.download } : {}),
    });
    if (storeProblem) loader.report.storageProblem = storeProblem;
    timings.storeMs = performance.now() - started;
    const textStarted = performance.now();
    const manifest = await loader.loadManifest();

    // The backend follows the browser, the runtime files at hand and the weights the folder has.
    const probe: WebGpuProbe = init.backend === 'wasm' ? { api: false, adapter: null } : await probeWebGpu();
    let choice = chooseBackend(init.backend, probe, {
      runtime: runtimeFilesFor('webgpu', init.runtime) !== null,
      weights: hasWebGpuWeights(init.dtype, probe.adapter?.shaderF16 ?? false, loader.listedFiles()),
    });
    const { threads } = configureOrt(choice.name, init.runtime);

    const text = await loader.loadFiles([...TEXT_FILES]);
    const textParts = {
      config: parseJson<ModelConfig>(text.get('config.json')!, 'config.json'),
      tokenizerJson: parseJson<ModelParts['tokenizerJson']>(text.get('tokenizer.json')!, 'tokenizer.json'),
      tokenizerConfig: parseJson<TokenizerConfigJson>(text.get('tokenizer_config.json')!, 'tokenizer_config.json'),
    };
    timings.textFilesMs = performance.now() - textStarted;

    let classifier: TextClassifier;
    let weightsFile: string;
    try {
      ({ classifier, weightsFile } = await ClassifierEngine.build(loader, textParts, init, choice.name, probe, timings));
    } catch (error) {
      // auto chose WebGPU but it cannot run this model: WASM still can.
      if (init.backend !== 'auto' || choice.name !== 'webgpu') throw error;
      choice = { name: 'wasm', reason: `WebGPU failed (${(error as Error).message})` };
      ({ classifier, weightsFile } = await ClassifierEngine.build(loader, textParts, init, 'wasm', probe, timings));
    }
    const penalty = init.window.countPenalty === false || !classifier.multiLabel ? null : windowPenaltyOf(manifest?.extra, classifier.labels);
    const engine = new ClassifierEngine(classifier, describe(choice, threads, weightsFile, probe.adapter?.description),
      init, textParts, store, hooks, loader.report, calibrationOf(manifest?.extra), penalty, timings);
    // The first run (WebGPU above all) costs several warm ones: pay it now, not on a user's text.
    const warmUpStarted = performance.now();
    await engine.classify('warm-up');
    timings.warmUpMs = performance.now() - warmUpStarted;
    timings.totalMs = performance.now() - started;
    if (choice.name === 'webgpu') void engine.watchGpuDevice();
    return engine;
  }

  /** Loads the first weight file that exists for `backend` and builds a classifier on it. */
  private static async build(loader: ModelFileLoader, textParts: ClassifierEngine['textParts'], init: EngineInit,
    backend: BackendName, probe: WebGpuProbe, timings?: LoadTimings): Promise<{ classifier: TextClassifier; weightsFile: string }> {
    const { dtype } = init;
    const listed = loader.listedFiles();
    let candidates = modelFileCandidates(dtype, backend, probe.adapter?.shaderF16 ?? false);
    if (listed) candidates = candidates.filter((f) => listed.includes(f));
    if (candidates.length === 0) throw new GuardError('model-load-failed', `the manifest lists no ${dtype} weights for ${backend}`);
    let lastError: unknown;
    for (const weightsFile of candidates) {
      let weights: Uint8Array;
      const weightsStarted = performance.now();
      try {
        weights = (await loader.loadFiles([weightsFile])).get(weightsFile)!;
      } catch (error) {
        if ((error as GuardError).code !== 'model-load-failed') throw error;
        lastError = error;
        continue;
      }
      const sessionStarted = performance.now();
      if (timings) timings.weightsMs += sessionStarted - weightsStarted;
      const classifier = await TextClassifier.create({ ...textParts, weights, weightsFile }, backend, probe.gpuAdapter, init.window);
      if (timings) timings.sessionMs += performance.now() - sessionStarted;
      return { classifier, weightsFile };
    }
    throw lastError;
  }

  /** Scores one text: every window of it, the max per label over windows. */
  async classify(text: string): Promise<ScreenResult> {
    if (this.released) throw new GuardError('disposed', 'this engine was released');
    const started = performance.now();
    const { rows, mainWindows } = this.classifier.encode(text);
    const tokenizeMs = performance.now() - started;
    const output = await this.queue.push({ rows, mainWindows, tokenizeMs, enqueuedAt: performance.now() });
    const labels = this.classifier.labels;
    return {
      scores: Object.fromEntries(labels.map((label, i) => [label, output.probabilities[i]!])),
      labels,
      backend: this.info.name,
      tokens: rows.reduce((n, r) => n + r.length, 0),
      windows: rows.length,
      timings: { tokenizeMs, inferenceMs: output.inferenceMs, totalMs: performance.now() - started },
    };
  }

  private async runJobs(jobs: Job[]): Promise<JobOutput[]> {
    if (this.recovering) await this.recovering;
    const rows = jobs.flatMap((j) => j.rows);
    const started = performance.now();
    let logits: Float32Array[];
    try {
      logits = await this.classifier.run(rows);
    } catch (error) {
      if (this.classifier.backend !== 'webgpu' || this.released) throw error;
      // A failing WebGPU run (device lost, out of memory): carry on with WASM, then retry once.
      await this.recoverOnWasm(`WebGPU run failed (${(error as Error).message})`);
      logits = await this.classifier.run(rows);
    }
    const inferenceMs = performance.now() - started;
    let next = 0;
    return jobs.map((job) => {
      const rows = logits.slice(next, next + job.rows.length);
      next += job.rows.length;
      // Independent labels combine as logits (a long text's penalty applies there); softmax classes as probabilities.
      const probabilities = this.classifier.multiLabel
        ? sigmoid(textLogits(rows, job.mainWindows, this.windowPenalty))
        : maxPerClass(rows.map((l) => softmax(l)));
      return { probabilities, inferenceMs, queuedMs: started - job.enqueuedAt };
    });
  }

  private async watchGpuDevice(): Promise<void> {
    const device = await ClassifierEngine.gpuDevice();
    if (!device) return;
    const info = await device.lost;
    if (this.released || this.classifier.backend !== 'webgpu') return;
    await this.recoverOnWasm(`WebGPU device lost (${info.reason}${info.message ? `: ${info.message}` : ''})`);
  }

  private static async gpuDevice(): Promise<GPUDevice | undefined> {
    try {
      return await (ort.env.webgpu as { device?: GPUDevice | Promise<GPUDevice> }).device;
    } catch {
      return undefined;
    }
  }

  /** Rebuilds the classifier on WASM (weights from the cache when stored); screens wait for it. */
  private recoverOnWasm(reason: string): Promise<void> {
    this.recovering ??= (async () => {
      const loader = new ModelFileLoader(this.init.source, this.store, this.init.download ? { retry: this.init.download } : {});
      await loader.loadManifest();
      const { classifier, weightsFile } = await ClassifierEngine.build(loader, this.textParts, this.init, 'wasm', { api: false, adapter: null });
      const lost = this.classifier;
      this.classifier = classifier;
      this.info = describe({ name: 'wasm', reason: `${reason}; rebuilt on WASM` }, configureOrt('wasm', this.init.runtime).threads, weightsFile);
      this.hooks.onBackendChange?.(this.info);
      await lost.release().catch(() => undefined);
    })().finally(() => {
      this.recovering = null;
    });
    return this.recovering;
  }

  /**
   * Destroys the WebGPU device the session runs on, exactly as a driver reset would lose it.
   * For tests of the recovery path; resolves false when not on WebGPU.
   */
  async destroyGpuDeviceForTesting(): Promise<boolean> {
    if (this.classifier.backend !== 'webgpu') return false;
    const device = await ClassifierEngine.gpuDevice();
    if (!device) return false;
    device.destroy();
    return true;
  }

  async release(): Promise<void> {
    this.released = true;
    await this.recovering;
    await this.classifier.release();
    this.store?.close();
  }
}

/**
 * Thresholds a model's manifest calibrated per label: `default` (the `balanced` preset's: for
 * the shipped models, 2% of benign text flagged by any label), at 1% and 0.1% benign false
 * positives per label, and `output`: for model replies, where the manifest calibrated one on
 * replies (`thresholds_output`; a refusal talks about the harmful topic, so replies score apart).
 */
export type Calibration = Record<string, { default: number; fpr1: number; fpr01?: number; output?: number }>;

const isUnit = (v: unknown): v is number => typeof v === 'number' && v > 0 && v < 1;

function calibrationOf(extra: Record<string, unknown> | undefined): Calibration {
  const thresholds = extra?.thresholds;
  if (typeof thresholds !== 'object' || thresholds === null) return {};
  const outputs = (extra?.thresholds_output ?? {}) as Record<string, Record<string, unknown> | undefined>;
  const out: Calibration = {};
  for (const [label, entry] of Object.entries(thresholds as Record<string, Record<string, unknown>>)) {
    const fallback = isUnit(entry?.default) ? entry.default : entry?.fpr_1pct;
    if (!isUnit(fallback)) continue;
    const fpr1 = isUnit(entry.fpr_1pct) ? entry.fpr_1pct : fallback;
    const output = outputs[label]?.default;
    out[label] = { default: fallback, fpr1, ...(isUnit(entry.fpr_0_1pct) ? { fpr01: entry.fpr_0_1pct } : {}), ...(isUnit(output) ? { output } : {}) };
  }
  return out;
}

/**
 * The manifest's `window_penalty.logit_per_ln_windows` in the model's label order: the logits a
 * label's score loses per ln(main windows) of a long text. Labels it leaves out get 0; null when
 * the manifest has none.
 */
function windowPenaltyOf(extra: Record<string, unknown> | undefined, labels: readonly string[]): number[] | null {
  const perLabel = (extra?.window_penalty as { logit_per_ln_windows?: unknown } | undefined)?.logit_per_ln_windows;
  if (typeof perLabel !== 'object' || perLabel === null) return null;
  const penalty = labels.map((label) => {
    const value = (perLabel as Record<string, unknown>)[label];
    return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : 0;
  });
  return penalty.some((v) => v > 0) ? penalty : null;
}

function maxPerClass(rows: number[][]): number[] {
  return rows[0]!.map((_, k) => Math.max(...rows.map((r) => r[k]!)));
}

function parseJson<T>(bytes: Uint8Array, file: string): T {
  try {
    return JSON.parse(new TextDecoder().decode(bytes)) as T;
  } catch (cause) {
    throw new GuardError('model-load-failed', `${file} is not valid JSON`, { cause });
  }
}
