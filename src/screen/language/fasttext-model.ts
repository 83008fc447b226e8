/**
 * A `LanguageModel` over fastText's native object as the Emscripten glue of `fasttext.wasm.js`
 * binds it: the same for the browser build (fasttext-lid.ts) and the package's Node build.
 */
import type { LanguageModel } from './detect-language.js';

/** The embind vector `predict` returns: `[probability, "__label__xx"]` pairs. */
interface PredictionVector {
  size(): number;
  get(i: number): [number, string];
  delete(): void;
}

/** The native fastText object, as the glue binds it. */
export interface FastTextNative {
  loadModel(path: string): void;
  predict(text: string, k: number, threshold: number): PredictionVector;
}

/** A `LanguageModel` over a loaded native fastText model. */
export function fastTextModel(native: FastTextNative): LanguageModel {
  return {
    predict(line, k) {
      // fastText reads a newline as the end of its input line.
      const vector = native.predict(line.replace(/[\r\n]+/g, ' '), k, 0);
      try {
        const out: [string, number][] = [];
        for (let i = 0; i < vector.size(); i++) {
          const [probability, label] = vector.get(i);
          out.push([label, probability]);
        }
        return out;
      } finally {
        vector.delete(); // embind objects live on the WASM heap until deleted
      }
    },
  };
}
