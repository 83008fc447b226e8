/**
 * The guard's screening pipeline in Node, in-process: the same `GuardWorkerApi` the Web Worker
 * exposes (src/worker/guard-worker-api.ts → src/screen + src/inference), with onnxruntime-web's
 * WASM backend, called directly instead of through Comlink. For eval, red-team and bench runs
 * outside a browser; the library itself stays browser-only.
 *
 * What differs from the browser, and why:
 * - the model's files are served over HTTP from the project root by the harness's static server,
 *   so loading goes through the same fetch + SHA-256 path as a page (a "cold" load);
 * - there is no IndexedDB in Node, so nothing is cached (`cache: false`): there is no warm start;
 * - WASM runs on one thread (the runtime reads `crossOriginIsolated`, which Node lacks);
 * - no worker: screens run on the calling thread, so there is no structured-clone round trip;
 * - the language step's fastText runs from the package's Node build (same model file);
 * - V8 runs the WASM on its baseline compiler only (`--liftoff-only`): by default it also
 *   compiles onnxruntime-web's 27 MB module with its optimizing tier in background threads, which
 *   took over a minute of CPU here, slowed every screen meanwhile and held the process at exit.
 *   Measured on this machine: 20 screens 1.5 s with the flag, 2.0–2.3 s without; exit 10 s, not 80–130 s.
 */
import { register } from 'node:module';
import { setFlagsFromString } from 'node:v8';
import type { ClassifierReviewPolicy, Policy, MultilingualReaderPolicy } from '../../src/policy/policy.js';
import type { Verdict } from '../../src/policy/verdict.js';
import type { LayerSwitches } from '../../src/screen/pipeline.js';
import type { BackendInfo, CacheReport, ScreenResult } from '../../src/types.js';
import type { GuardWorkerApi } from '../../src/worker/guard-worker-api.js';
import { startStaticServer, type StaticServer } from '../browser/harness/static-server.js';
import { loadNodeLanguageModel } from './node-language-model.js';

const root = new URL('../../', import.meta.url);
let hooksRegistered = false;

/** What a Node guard offers: the parts of `Guard` the scripts use. */
export interface NodeGuard {
  readonly labels: readonly string[];
  readonly backend: BackendInfo;
  readonly cache: CacheReport;
  readonly policy: Policy;
  screen(text: string, options?: { direction?: 'input' | 'output'; conversation?: string; layers?: LayerSwitches }): Promise<Verdict>;
  classify(text: string): Promise<ScreenResult>;
  dispose(): Promise<void>;
}

export interface NodeGuardOptions {
  /** The model folder as a URL path under the project root, e.g. `/models/guard-bert-mini/`. */
  modelPath: string;
  policy?: 'strict' | 'balanced' | 'permissive';
  /** A classifier second review added to the preset (its model's `url` a path under the project root). */
  review?: ClassifierReviewPolicy;
  /** A multilingual reader added to the preset's language step (its model's `url` a path under the project root). */
  multilingual?: MultilingualReaderPolicy;
}

/**
 * Loads the model and returns a guard whose screens run the worker's pipeline code in this process.
 * Modules that import Vite's `?url` assets are loaded only after the hooks that resolve them.
 */
export async function createNodeGuard(options: NodeGuardOptions): Promise<NodeGuard> {
  if (!hooksRegistered) {
    setFlagsFromString('--liftoff-only'); // before the runtime's WASM is compiled; see above
    register('./vite-url-hooks.mjs', import.meta.url);
    hooksRegistered = true;
  }
  const [{ GuardWorkerApi: Api }, { resolveModelSource }, { resolvePolicy }, { DEFAULT_WINDOW }] = await Promise.all([
    import('../../src/worker/guard-worker-api.js'),
    import('../../src/store/model-source.js'),
    import('../../src/guard.js'),
    import('../../src/inference/windows.js'),
  ]);
  const server: StaticServer = await startStaticServer(root.pathname);
  const api: GuardWorkerApi = new Api(loadNodeLanguageModel);
  try {
    const source = resolveModelSource({ url: `${server.url}${options.modelPath}` }, `${server.url}/`, {});
    const ready = await api.init({ source, dtype: 'auto', backend: 'wasm', cache: false, window: DEFAULT_WINDOW });
    const preset = resolvePolicy(options.policy ?? 'balanced', ready.calibration);
    const reviewed: Policy = options.review ? { ...preset, secondReview: options.review } : preset;
    const policy: Policy = options.multilingual && reviewed.language
      ? { ...reviewed, language: { ...reviewed.language, multilingual: options.multilingual } } : reviewed;
    const reader = options.multilingual
      ? resolveModelSource({ url: `${server.url}${options.multilingual.model.url}` }, `${server.url}/`, {})
      : undefined;
    const review = options.review
      ? resolveModelSource({ url: `${server.url}${options.review.model.url}` }, `${server.url}/`, {})
      : undefined;
    return {
      labels: ready.labels,
      backend: ready.backend,
      cache: ready.cache,
      policy,
      screen: (text, o = {}) => api.screen({ text, direction: o.direction ?? 'input', ...(o.conversation ? { conversation: o.conversation } : {}) }, policy, o.layers, review, undefined, undefined, reader),
      classify: (text) => api.classify(text),
      async dispose() {
        await api.dispose();
        await server.close();
      },
    };
  } catch (error) {
    await server.close();
    throw error;
  }
}
