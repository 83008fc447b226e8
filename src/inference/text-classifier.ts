import { Tokenizer } from '@huggingface/tokenizers';
import { GuardError } from '../errors.js';
import type { BackendInfo, ModelDtype, ScreenResult } from '../types.js';
import { sigmoid, softmax } from './activation.js';
import { chooseBackend, probeWebGpu, type WebGpuProbe } from './backend.js';
import { fileUrl, modelFileCandidates } from './model-files.js';
import { configureOrt, ort } from './ort-runtime.js';
import { padTokenBatch, truncateWithSpecialTokens } from './token-batch.js';
import type { BackendRequest } from '../types.js';

/** The parts of a model's `config.json` the classifier reads. */
interface ModelConfig {
  id2label?: Record<string, string>;
  problem_type?: string;
  max_position_embeddings?: number;
}

/** The parts of `tokenizer_config.json` read here; the rest goes to the tokenizer as is. */
interface TokenizerConfigJson {
  model_max_length?: number;
  pad_token?: string;
  [key: string]: unknown;
}

/** What `TextClassifier.load` needs. */
export interface ClassifierLoadOptions {
  /** Absolute URL of the model folder. */
  url: string;
  dtype: ModelDtype;
  backend: BackendRequest;
}

async function fetchOk(url: string): Promise<Response> {
  let response: Response;
  try {
    response = await fetch(url);
  } catch (cause) {
    throw new GuardError('model-load-failed', `could not fetch ${url}`, { cause });
  }
  if (!response.ok) throw new GuardError('model-load-failed', `fetching ${url} gave HTTP ${response.status}`);
  return response;
}

async function fetchJson<T>(url: string): Promise<T> {
  const response = await fetchOk(url);
  try {
    return (await response.json()) as T;
  } catch (cause) {
    throw new GuardError('model-load-failed', `${url} is not valid JSON`, { cause });
  }
}

/** Fetches the first weight file that exists, so a folder without fp16 still loads. */
async function fetchFirstModelFile(folder: string, candidates: string[]): Promise<{ file: string; bytes: Uint8Array }> {
  let lastError: unknown;
  for (const file of candidates) {
    try {
      const response = await fetchOk(fileUrl(folder, file));
      return { file, bytes: new Uint8Array(await response.arrayBuffer()) };
    } catch (error) {
      lastError = error;
    }
  }
  throw new GuardError('model-load-failed', `none of ${candidates.join(', ')} could be loaded from ${folder}`, { cause: lastError });
}

/**
 * One text-classification model on one backend: tokenizer + ONNX session. Runs go one at a
 * time (onnxruntime-web sessions must not overlap), queued in call order.
 */
export class TextClassifier {
  private queue: Promise<unknown> = Promise.resolve();

  private constructor(
    private readonly session: ort.InferenceSession,
    private readonly tokenizer: Tokenizer,
    readonly labels: readonly string[],
    private readonly multiLabel: boolean,
    private readonly maxLength: number,
    private readonly padId: number,
    readonly backend: BackendInfo,
  ) {}

  /** Fetches the model folder's files, picks the backend, creates the session and warms it up. */
  static async load(options: ClassifierLoadOptions): Promise<TextClassifier> {
    const { threads } = configureOrt();
    const probe: WebGpuProbe = options.backend === 'wasm' ? { api: false, adapter: null } : await probeWebGpu();
    const choice = chooseBackend(options.backend, probe);

    const [config, tokenizerJson, tokenizerConfig] = await Promise.all([
      fetchJson<ModelConfig>(fileUrl(options.url, 'config.json')),
      fetchJson<ConstructorParameters<typeof Tokenizer>[0]>(fileUrl(options.url, 'tokenizer.json')),
      fetchJson<TokenizerConfigJson>(fileUrl(options.url, 'tokenizer_config.json')),
    ]);
    const labels = labelsOf(config, options.url);
    let tokenizer: Tokenizer;
    try {
      tokenizer = new Tokenizer(tokenizerJson, tokenizerConfig);
    } catch (cause) {
      throw new GuardError('model-load-failed', `the tokenizer in ${options.url} could not be built`, { cause });
    }
    const maxLength = Math.min(tokenizerConfig.model_max_length ?? 512, config.max_position_embeddings ?? 512, 512);
    const padId = tokenizer.token_to_id(tokenizerConfig.pad_token ?? '[PAD]') ?? 0;

    const candidates = modelFileCandidates(options.dtype, choice.name, probe.adapter?.shaderF16 ?? false);
    const { file, bytes } = await fetchFirstModelFile(options.url, candidates);

    if (choice.name === 'webgpu' && probe.gpuAdapter) {
      // Run on the adapter we probed (a forced software adapter included), not one ort picks.
      (ort.env.webgpu as { adapter?: unknown }).adapter = probe.gpuAdapter;
    }
    let session: ort.InferenceSession;
    try {
      session = await ort.InferenceSession.create(bytes, {
        executionProviders: [choice.name],
        graphOptimizationLevel: 'all',
      });
    } catch (cause) {
      throw new GuardError(choice.name === 'webgpu' ? 'backend-unavailable' : 'model-load-failed',
        `onnxruntime-web could not create a ${choice.name} session for ${file}`, { cause });
    }

    const backend: BackendInfo = {
      name: choice.name,
      reason: choice.reason,
      summary: `${choice.name}: ${choice.reason}`,
      threads: choice.name === 'wasm' ? threads : 0,
      modelFile: file,
      ...(choice.name === 'webgpu' && probe.adapter ? { adapter: probe.adapter.description } : {}),
    };
    const classifier = new TextClassifier(session, tokenizer, labels,
      config.problem_type === 'multi_label_classification', maxLength, padId, backend);
    // The first run (WebGPU above all) costs several warm ones: pay it now, not on a user's text.
    await classifier.classify('warm-up');
    return classifier;
  }

  /** Scores one text. Texts past the model's window are truncated (and say so). */
  classify(text: string): Promise<ScreenResult> {
    const run = this.queue.then(() => this.run(text));
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async run(text: string): Promise<ScreenResult> {
    const started = performance.now();
    const { ids, truncated } = truncateWithSpecialTokens(this.tokenizer.encode(text).ids, this.maxLength);
    const tokenized = performance.now();
    const batch = padTokenBatch([ids], this.padId);
    const feeds: Record<string, ort.Tensor> = {
      input_ids: new ort.Tensor('int64', batch.inputIds, batch.dims),
      attention_mask: new ort.Tensor('int64', batch.attentionMask, batch.dims),
    };
    if (this.session.inputNames.includes('token_type_ids')) {
      feeds.token_type_ids = new ort.Tensor('int64', new BigInt64Array(batch.inputIds.length), batch.dims);
    }
    let logits: ort.Tensor;
    try {
      const outputs = await this.session.run(feeds);
      logits = outputs.logits ?? outputs[this.session.outputNames[0]!]!;
    } catch (cause) {
      throw new GuardError('inference-failed', `the ${this.backend.name} run failed`, { cause });
    }
    const row = logits.data as Float32Array;
    if (row.length !== this.labels.length) {
      throw new GuardError('inference-failed', `the model gave ${row.length} logits for ${this.labels.length} labels`);
    }
    const probabilities = this.multiLabel ? sigmoid(row) : softmax(row);
    const finished = performance.now();
    return {
      scores: Object.fromEntries(this.labels.map((label, i) => [label, probabilities[i]!])),
      labels: this.labels,
      backend: this.backend.name,
      tokens: ids.length,
      truncated,
      timings: { tokenizeMs: tokenized - started, inferenceMs: finished - tokenized, totalMs: finished - started },
    };
  }

  /** Frees the session's memory (GPU buffers included). */
  async release(): Promise<void> {
    await this.queue;
    await this.session.release();
  }
}

function labelsOf(config: ModelConfig, url: string): string[] {
  const entries = Object.entries(config.id2label ?? {});
  if (entries.length === 0) throw new GuardError('model-load-failed', `${url}config.json has no id2label`);
  return entries.sort(([a], [b]) => Number(a) - Number(b)).map(([, label]) => label);
}
