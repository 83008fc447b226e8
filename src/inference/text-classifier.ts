import { Tokenizer } from '@huggingface/tokenizers';
import { GuardError } from '../errors.js';
import type { BackendName } from '../types.js';
import { configureOrt, ort } from './ort-runtime.js';
import { DEFAULT_RUN_LIMITS, planRuns, stackTokenRows } from './token-batch.js';
import { DEFAULT_WINDOW, modelMaxLength, planWindows, windowRows, type WindowedText, type WindowOptions, type WindowPlan } from './windows.js';

/** The parts of a model's `config.json` the classifier reads. */
export interface ModelConfig {
  id2label?: Record<string, string>;
  problem_type?: string;
  max_position_embeddings?: number;
}

/** The parts of `tokenizer_config.json` read here; the rest goes to the tokenizer as is. */
export interface TokenizerConfigJson {
  model_max_length?: number;
  [key: string]: unknown;
}

/** A model's files, fetched and verified. */
export interface ModelParts {
  config: ModelConfig;
  tokenizerJson: ConstructorParameters<typeof Tokenizer>[0];
  tokenizerConfig: TokenizerConfigJson;
  weights: Uint8Array;
  /** Which weight file these are, e.g. `onnx/model_quantized.onnx`. */
  weightsFile: string;
}

function parseLabels(config: ModelConfig): string[] {
  const entries = Object.entries(config.id2label ?? {});
  if (entries.length === 0) throw new GuardError('model-load-failed', 'the model\'s config.json has no id2label');
  return entries.sort(([a], [b]) => Number(a) - Number(b)).map(([, label]) => label);
}

/**
 * One text-classification model on one backend: tokenizer + ONNX session. It turns a text
 * into token windows and a batch of windows into logits; batching and queueing are the
 * engine's job. Never runs two `session.run`s at once (the engine guarantees it).
 */
export class TextClassifier {
  readonly labels: readonly string[];
  readonly multiLabel: boolean;
  /** The windows actually used: the requested size, capped by the model's maximum length. */
  readonly window: WindowOptions;
  private readonly plan: WindowPlan;

  private constructor(
    private readonly session: ort.InferenceSession,
    private readonly tokenizer: Tokenizer,
    parts: ModelParts,
    readonly backend: BackendName,
    window: WindowOptions,
  ) {
    this.labels = parseLabels(parts.config);
    this.multiLabel = parts.config.problem_type === 'multi_label_classification';
    // The special tokens the tokenizer adds around an empty text are the frame of every window.
    this.plan = planWindows(tokenizer.encode('').ids, modelMaxLength(parts.tokenizerConfig.model_max_length, parts.config.max_position_embeddings), window);
    this.window = this.plan.window;
  }

  /** Builds the tokenizer and an onnxruntime-web session on `backend`. */
  static async create(parts: ModelParts, backend: BackendName, gpuAdapter?: unknown, window: WindowOptions = DEFAULT_WINDOW): Promise<TextClassifier> {
    configureOrt(backend);
    let tokenizer: Tokenizer;
    try {
      tokenizer = new Tokenizer(parts.tokenizerJson, parts.tokenizerConfig);
    } catch (cause) {
      throw new GuardError('model-load-failed', 'the model\'s tokenizer could not be built', { cause });
    }
    if (backend === 'webgpu' && gpuAdapter) {
      // Run on the adapter we probed (a forced software adapter included), not one ort picks.
      (ort.env.webgpu as { adapter?: unknown }).adapter = gpuAdapter;
    }
    let session: ort.InferenceSession;
    try {
      session = await ort.InferenceSession.create(parts.weights, { executionProviders: [backend], graphOptimizationLevel: 'all' });
    } catch (cause) {
      throw new GuardError(backend === 'webgpu' ? 'backend-unavailable' : 'model-load-failed',
        `onnxruntime-web could not create a ${backend} session for ${parts.weightsFile}`, { cause });
    }
    return new TextClassifier(session, tokenizer, parts, backend, window);
  }

  /**
   * The text as model inputs: one row if it fits a window, else overlapping windows
   * covering all of it (see `DEFAULT_WINDOW`), each framed by the special tokens.
   */
  encode(text: string): WindowedText {
    return windowRows(this.tokenizer.encode(text, { add_special_tokens: false }).ids, this.plan);
  }

  /** Logits for each row, in order; rows of the same length share a run (see `planRuns`). */
  async run(rows: number[][]): Promise<Float32Array[]> {
    const out = new Array<Float32Array>(rows.length);
    for (const indices of planRuns(rows.map((r) => r.length), DEFAULT_RUN_LIMITS)) {
      const logits = await this.runChunk(indices.map((i) => rows[i]!));
      indices.forEach((i, k) => { out[i] = logits[k]!; });
    }
    return out;
  }

  private async runChunk(rows: number[][]): Promise<Float32Array[]> {
    const batch = stackTokenRows(rows);
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
      throw new GuardError('inference-failed', `the ${this.backend} run failed`, { cause });
    }
    const data = logits.data as Float32Array;
    const width = this.labels.length;
    if (data.length !== rows.length * width) {
      throw new GuardError('inference-failed', `the model gave ${data.length} logits for ${rows.length} rows of ${width} labels`);
    }
    return rows.map((_, r) => data.slice(r * width, (r + 1) * width));
  }

  /** Frees the session's memory (GPU buffers included). */
  async release(): Promise<void> {
    await this.session.release();
  }
}
