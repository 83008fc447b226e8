/**
 * The language step's fastText model in Node, for scripts and unit tests: the package's Node
 * build (`fasttext.wasm.js`'s `node` export, which reads its own `lid.176.ftz` from disk). The
 * browser build the worker bundles (src/screen/language/fasttext-lid.ts) refuses to start under
 * Node. Same model file, same answers.
 */
import type { LanguageModel } from '../../src/screen/language/detect-language.js';
import { fastTextModel, type FastTextNative } from '../../src/screen/language/fasttext-model.js';

interface NodeLidPackage {
  getLIDModel(): Promise<{ load(): Promise<{ ft: FastTextNative }> }>;
}

/** Loads `lid.176.ftz` with the package's Node build. */
export async function loadNodeLanguageModel(): Promise<LanguageModel> {
  // A specifier in a variable: the package's typings pull Emscripten's globals into the program.
  const specifier = 'fasttext.wasm.js';
  const { getLIDModel } = (await import(specifier)) as NodeLidPackage;
  return fastTextModel((await (await getLIDModel()).load()).ft);
}
