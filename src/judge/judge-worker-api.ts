import { expose } from 'comlink';
import {
  AutoModelForCausalLM,
  AutoTokenizer,
  env,
  InterruptableStoppingCriteria,
  StoppingCriteriaList,
  type PreTrainedModel,
  type PreTrainedTokenizer,
  type Tensor,
} from '@huggingface/transformers';
import { GuardError } from '../errors.js';
import { chooseBackend, probeWebGpu } from '../inference/backend.js';
import { DEFAULT_DOWNLOAD_RETRY, type DownloadRetry } from '../store/download-retry.js';
import { ModelFileLoader } from '../store/model-file-loader.js';
import type { ResolvedModelSource } from '../store/model-source.js';
import { ModelStore } from '../store/model-store.js';
import type { CacheReport, LoadProgress, RuntimeFiles } from '../types.js';
import type { JudgeDtype } from '../policy/policy.js';
import { judgeAdapter, type JudgeAdapter, type JudgeDecision, type JudgeFamily, type JudgeRequest } from './adapters/index.js';
import { JUDGE_RUNTIME } from './judge-runtime.js';
import { storeBackedFiles } from './store-cache.js';

export type { JudgeDtype };

/** What the judge's worker needs to load a model: plain data. */
export interface JudgeLoadSpec {
  source: ResolvedModelSource;
  /** The hub id transformers.js knows the model by (`org/name`). */
  hubId: string;
  family: JudgeFamily;
  dtype: JudgeDtype;
  device: 'auto' | 'webgpu' | 'wasm';
  cache: boolean;
  download?: DownloadRetry;
  /** onnxruntime-web's WebGPU-capable build (`.wasm` and `.mjs`, absolute URLs), when the page serves it itself. */
  runtime?: RuntimeFiles;
}

/** Which backend and weights the judge runs on, and why: reported as `guard.judge.backend`. */
export interface JudgeBackend {
  device: 'webgpu' | 'wasm';
  dtype: Exclude<JudgeDtype, 'auto'>;
  reason: string;
  /** `'<device> <dtype>: <reason>'`, ready to show. */
  summary: string;
}

/** The judge worker's answer to `load`. */
export interface JudgeReady {
  backend: JudgeBackend;
  cache: CacheReport;
  /** From the request to a warmed-up model, download included. */
  loadMs: number;
  /** The warm-up run's share of it: the first run on WebGPU compiles its shaders, paid here rather than on a user's text. */
  warmUpMs: number;
}

/** One review's outcome. */
export interface JudgeAnswer {
  family: JudgeFamily;
  decision: JudgeDecision;
  /** Our categories the family judges for this direction (a `safe` answer clears them). */
  covers: string[];
  /** The model's raw answers, one per run (for the verdict's record and for debugging adapters). */
  outputs: string[];
  /** Model runs (ShieldGemma: one per guideline). */
  runs: number;
  /** Milliseconds from the first run's start to its first new token, and for the whole review. */
  firstTokenMs: number;
  totalMs: number;
}

/**
 * The generative judge's side of its worker. It loads a guard LLM through transformers.js with
 * every file taken from our verified IndexedDB store, and answers one review at a time (a
 * second call waits for the first: the model holds one KV cache and one device queue). A review
 * can be cancelled between tokens.
 */
export class JudgeWorkerApi {
  private tokenizer: PreTrainedTokenizer | null = null;
  private model: PreTrainedModel | null = null;
  private spec: JudgeLoadSpec | null = null;
  private adapter: JudgeAdapter | null = null;
  private chain: Promise<unknown> = Promise.resolve();
  private readonly running = new Map<number, InterruptableStoppingCriteria>();
  private readonly cancelled = new Set<number>();

  /** Serves this API on another port too: the guard's worker asks for reviews over one. */
  connect(port: MessagePort): void {
    expose(this, port);
  }

  async load(spec: JudgeLoadSpec, onProgress?: (progress: LoadProgress) => void): Promise<JudgeReady> {
    if (this.model) throw new GuardError('invalid-input', 'the judge worker already has a model; unload it first');
    const started = performance.now();
    const probe = await probeWebGpu();
    const choice = chooseBackend(spec.device === 'auto' ? 'auto' : spec.device, probe, { runtime: true, weights: true });
    const dtype: Exclude<JudgeDtype, 'auto'> = spec.dtype !== 'auto'
      ? spec.dtype
      : choice.name === 'webgpu'
        ? (probe.adapter?.shaderF16 ? 'q4f16' : 'q4')
        : 'q4';
    const store = spec.cache ? await ModelStore.open().catch(() => null) : null;
    const loader = new ModelFileLoader(spec.source, store, { retry: spec.download ?? DEFAULT_DOWNLOAD_RETRY, ...(onProgress ? { onProgress } : {}) });
    const files = storeBackedFiles(spec.source, loader);
    try {
      this.configure(spec, files);
      const options = { revision: spec.source.revision };
      this.tokenizer = await AutoTokenizer.from_pretrained(spec.hubId, options);
      this.model = await AutoModelForCausalLM.from_pretrained(spec.hubId, { ...options, dtype, device: choice.name });
    } catch (error) {
      this.tokenizer = null;
      throw error instanceof GuardError ? error : new GuardError('model-load-failed', `the judge model ${spec.hubId} could not be loaded: ${(error as Error)?.message ?? error}`, { cause: error });
    } finally {
      files.forget();
      store?.close();
    }
    this.spec = spec;
    this.adapter = judgeAdapter(spec.family);
    const warmUpStarted = performance.now();
    await this.warmUp();
    const backend = { device: choice.name, dtype, reason: choice.reason, summary: `${choice.name} ${dtype}: ${choice.reason}` };
    const finished = performance.now();
    return { backend, cache: loader.report, loadMs: finished - started, warmUpMs: finished - warmUpStarted };
  }

  /** One short run of the model, its answer unused. */
  private async warmUp(): Promise<void> {
    const inputs = this.tokenizer!.apply_chat_template([{ role: 'user', content: 'Hello.' }], { add_generation_prompt: true, return_dict: true });
    await this.model!.generate({ ...(inputs as object), max_new_tokens: 1, do_sample: false } as Parameters<PreTrainedModel['generate']>[0]);
  }

  /** transformers.js's settings for this worker: our files, no browser cache, no CDN. */
  private configure(spec: JudgeLoadSpec, files: ReturnType<typeof storeBackedFiles>): void {
    env.allowLocalModels = false;
    env.allowRemoteModels = true;
    env.useBrowserCache = false;
    env.useWasmCache = false;
    env.useCustomCache = true;
    env.customCache = files.cache;
    env.fetch = files.fetch;
    const folder = spec.source.baseUrl;
    const suffix = `${spec.hubId}/resolve/${encodeURIComponent(spec.source.revision)}/`;
    if (!folder.endsWith(suffix)) throw new GuardError('invalid-input', `the judge loads hub-shaped folders (<host>/<org>/<name>/resolve/<revision>/); got ${folder}`);
    env.remoteHost = folder.slice(0, -suffix.length);
    const wasm = env.backends.onnx.wasm;
    if (wasm) {
      // transformers.js points onnxruntime-web at a CDN by default: never here. The page's files
      // (`runtime.webgpu`), else the ones this build names, else the runtime's own (its bundle
      // finds its .wasm beside itself, through the page's bundler).
      const runtime = spec.runtime ?? JUDGE_RUNTIME;
      if (runtime) wasm.wasmPaths = { wasm: runtime.wasm, mjs: runtime.mjs };
      else delete wasm.wasmPaths;
      wasm.proxy = false;
    }
  }

  /**
   * Judges one text. Rejects with `aborted` when `cancel(id)` came first, `invalid-input` when
   * no model is loaded.
   */
  review(id: number, request: JudgeRequest): Promise<JudgeAnswer> {
    const run = this.chain.then(() => this.reviewNow(id, request));
    this.chain = run.catch(() => undefined);
    return run;
  }

  /** Stops review `id`: between tokens when it runs, before it starts when it waits. */
  cancel(id: number): void {
    this.cancelled.add(id);
    this.running.get(id)?.interrupt();
  }

  private async reviewNow(id: number, request: JudgeRequest): Promise<JudgeAnswer> {
    const { tokenizer, model, spec, adapter } = this;
    if (!tokenizer || !model || !spec || !adapter) throw new GuardError('invalid-input', 'the judge has no model loaded');
    const started = performance.now();
    let firstTokenMs = -1;
    const outputs: string[] = [];
    const stop = new InterruptableStoppingCriteria();
    this.running.set(id, stop);
    try {
      for (const prompt of adapter.prompts(request)) {
        if (this.cancelled.has(id)) throw new GuardError('aborted', 'the review was cancelled');
        const inputs = tokenizer.apply_chat_template(prompt.messages, {
          add_generation_prompt: true,
          return_dict: true,
          ...prompt.templateArgs,
        }) as unknown as { input_ids: Tensor; attention_mask: Tensor };
        const criteria = new StoppingCriteriaList();
        criteria.push(stop);
        const promptLength = inputs.input_ids.dims.at(-1)!;
        const runStarted = performance.now();
        // generate() hands a streamer the prompt first, then each new token.
        let puts = 0;
        const streamer = {
          put: () => {
            puts += 1;
            if (puts === 2 && firstTokenMs < 0) firstTokenMs = performance.now() - runStarted;
          },
          end: () => undefined,
        };
        const generated = await model.generate({
          ...inputs,
          max_new_tokens: adapter.maxNewTokens,
          do_sample: false,
          stopping_criteria: criteria,
          streamer,
        } as unknown as Parameters<PreTrainedModel['generate']>[0]) as Tensor;
        if (this.cancelled.has(id)) throw new GuardError('aborted', 'the review was cancelled');
        const answer = generated.slice(null, [promptLength, generated.dims.at(-1)!]);
        outputs.push(tokenizer.batch_decode(answer, { skip_special_tokens: true })[0] ?? '');
      }
    } finally {
      this.running.delete(id);
      this.cancelled.delete(id);
    }
    return {
      family: spec.family,
      decision: adapter.parse(outputs, request),
      covers: [...adapter.covers(request.direction)],
      outputs,
      runs: outputs.length,
      firstTokenMs: Math.max(0, firstTokenMs),
      totalMs: performance.now() - started,
    };
  }

  /** Frees the model's memory (its ONNX sessions); the worker can then be terminated. */
  async unload(): Promise<void> {
    const model = this.model;
    this.model = null;
    this.tokenizer = null;
    this.spec = null;
    this.adapter = null;
    await model?.dispose();
  }
}
