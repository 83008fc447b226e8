/**
 * The types every layer shares: backends, model sources, load progress, cache reports, results.
 * This module imports nothing, so any module may import it without closing a circle; options
 * that name a layer's own types (`GuardOptions`) live beside `createGuard` in `guard-options.ts`.
 */
/** Which engine runs the classifiers. */
export type BackendName = 'webgpu' | 'wasm';

/** What the caller asks for: `'auto'` picks WebGPU on a real (hardware) adapter, else WASM. */
export type BackendRequest = 'auto' | BackendName;

/** Which weights to run: int8 (`q8`) suits WASM, fp32/fp16 suit WebGPU; `'auto'` follows the backend. */
export type ModelDtype = 'auto' | 'fp32' | 'fp16' | 'q8';

/** One build of onnxruntime-web's WASM runtime: its `.wasm` binary and its `.mjs` glue, as URLs. */
export interface RuntimeFiles {
  wasm: string;
  mjs: string;
}

/**
 * Where the worker loads onnxruntime-web's runtime from, per backend (absolute, or relative to
 * the page). Default: the files the package ships beside its worker (WASM only; the package
 * leaves the 27 MB WebGPU build out). Set these to serve the runtime from your own path or
 * CDN (a CSP that allows only certain origins), or to turn WebGPU on: `webgpu` takes
 * onnxruntime-web 1.30.0's `ort-wasm-simd-threaded.asyncify.{wasm,mjs}`.
 */
export interface RuntimeUrls {
  wasm?: RuntimeFiles;
  webgpu?: RuntimeFiles;
}

/** What every model source may add. */
interface ModelSourceCommon {
  /** Which weights to load; default `'auto'`. */
  dtype?: ModelDtype;
  /** Cache key part: a new revision is downloaded afresh; default `'main'`. */
  revision?: string;
  /** Pinned SHA-256 per file (hex), checked before any manifest: `{ 'onnx/model_quantized.onnx': '…' }`. */
  sha256?: Record<string, string>;
}

/** A folder in the layout transformers.js loads, at any URL (absolute, or relative to the page). */
export interface UrlModelSource extends ModelSourceCommon {
  url: string;
}

/** A Hugging Face hub model id (`org/name`), fetched as `<host>/<id>/resolve/<revision>/<file>`. */
export interface HubModelSource extends ModelSourceCommon {
  hub: string;
  /** The hub's address; default `https://huggingface.co`. Point it at a mirror or a local server. */
  host?: string;
}

/** A model shipped with the package, by folder name under `models/`. */
export interface ShippedModelSource extends ModelSourceCommon {
  name: string;
  /** Where the package's `models/` folder is served; default: beside the package's build output. */
  baseUrl?: string;
}

/** Where a model comes from. Every source is fetched, verified and cached the same way. */
export type ModelSource = UrlModelSource | HubModelSource | ShippedModelSource;

/** Progress of getting a model's files onto the device. */
export interface LoadProgress {
  /** The file this event is about. */
  file: string;
  /** `cache`: read from IndexedDB; `network`: downloading; `done`: verified and ready. */
  phase: 'cache' | 'network' | 'done';
  loaded: number;
  /** 0 when the size is not known yet. */
  total: number;
  /** All files of this load together. */
  overall: { loaded: number; total: number };
}

/** Where the model's files came from on this load, and what the cache did. */
export interface CacheReport {
  /** The model's cache key: id and revision. */
  model: string;
  revision: string;
  fromCache: string[];
  fromNetwork: string[];
  /** Cached files whose bytes no longer matched their hash: discarded and fetched again. */
  repaired: string[];
  /** Downloads that failed and were tried again (network errors, cut-off bodies, stalls, HTTP 5xx). */
  retries?: number;
  /** Files whose cut-off download was resumed with a `Range` request rather than started over. */
  resumed?: string[];
  /** Why files could not be stored (e.g. `storage-quota`), when they could not; the guard still runs. */
  storageProblem?: { code: string; message: string };
  /** The optional parts' own reports (`guard.cache`): the language-id model's file, once it loaded. */
  parts?: { language?: CacheReport };
}

/**
 * An optional part of the guard (the language-id model): the guard screens without it, and says
 * so. `off`: the policy does not need it; `loading`; `ready`; `unavailable`: it could not load
 * (missing, corrupt or unreachable file; `message` names the file and the cause), and verdicts
 * note what was not checked.
 */
export interface OptionalPartStatus {
  state: 'off' | 'loading' | 'ready' | 'unavailable';
  message?: string;
  /** Where its files came from on this load, once it is ready. */
  cache?: CacheReport;
}

/**
 * Where a guard's load spent its time, in ms, measured in its worker (`guard.loadTimings`).
 * The phases run one after another; `totalMs` is the worker's whole load.
 */
export interface LoadTimings {
  /** Opening the IndexedDB model store. */
  storeMs: number;
  /** The manifest, the tokenizer and the config: read (cache or network) and verified. */
  textFilesMs: number;
  /** The weights: read (cache or network) and verified by SHA-256. */
  weightsMs: number;
  /**
   * onnxruntime-web's runtime (fetched and compiled: about two thirds of it here, for the 14 MB
   * WASM build) and the session on the weights. Started alongside the file reads it took longer:
   * on two cores the compile takes the CPU the reads need.
   */
  sessionMs: number;
  /** The first model run, paid at load rather than on a user's text. */
  warmUpMs: number;
  totalMs: number;
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
  /**
   * Probability per label in [0, 1], in the model's label order. For a text of several windows:
   * the highest window's, less the model's window-count penalty when it has one (see `window`).
   */
  scores: Record<string, number>;
  /** The model's labels, in order. */
  labels: readonly string[];
  /** The backend that ran this screen. */
  backend: BackendName;
  /** Tokens the model saw (special tokens included). */
  tokens: number;
  /** Token windows the text was split into (1 unless it is longer than the model's window). */
  windows: number;
  /** Milliseconds spent, measured in the worker. */
  timings: { tokenizeMs: number; inferenceMs: number; totalMs: number };
}
