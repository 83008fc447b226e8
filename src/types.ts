/** Which engine runs the classifiers. */
export type BackendName = 'webgpu' | 'wasm';

/** What the caller asks for: `'auto'` picks WebGPU on a real (hardware) adapter, else WASM. */
export type BackendRequest = 'auto' | BackendName;

/** Which weights to run: int8 (`q8`) suits WASM, fp32/fp16 suit WebGPU; `'auto'` follows the backend. */
export type ModelDtype = 'auto' | 'fp32' | 'fp16' | 'q8';

/** Where a model lives: the base URL of a folder in the layout transformers.js loads. */
export interface ModelSource {
  /** Absolute, or relative to the page; ends with or without `/`. */
  url: string;
  /** Which weights to load; default `'auto'`. */
  dtype?: ModelDtype;
}

/** Options for `createGuard`. */
export interface GuardOptions {
  /** The classifier to run. */
  model: ModelSource;
  /** Default `'auto'`. Forcing `'webgpu'` accepts a software adapter; it fails if there is none. */
  backend?: BackendRequest;
}

/** Which backend runs, and why it was chosen: shown to users and written to reports. */
export interface BackendInfo {
  name: BackendName;
  /** Why this backend, e.g. `'no WebGPU adapter'` or `'requested'`. */
  reason: string;
  /** `'<name>: <reason>'`, ready to show. */
  summary: string;
  /** WASM threads in use (1 unless the page is cross-origin isolated); 0 on WebGPU. */
  threads: number;
  /** The adapter's self-description on WebGPU (vendor, architecture, fallback or not). */
  adapter?: string;
  /** The model file that runs, e.g. `onnx/model_quantized.onnx`. */
  modelFile: string;
}

/** One screen's classifier output. */
export interface ScreenResult {
  /** Probability per label in [0, 1], in the model's label order. */
  scores: Record<string, number>;
  /** The model's labels, in order. */
  labels: readonly string[];
  /** The backend that ran this screen. */
  backend: BackendName;
  /** Tokens the model saw (special tokens included). */
  tokens: number;
  /** True when the text was longer than the model's window and its end was not seen. */
  truncated: boolean;
  /** Milliseconds spent, measured in the worker. */
  timings: { tokenizeMs: number; inferenceMs: number; totalMs: number };
}
