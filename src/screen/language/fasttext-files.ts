/**
 * Where the build put fastText's files (the Emscripten glue, its `.wasm`, the language-id model),
 * through `?url` imports, so the bundler emits them beside the worker. Imported on demand by
 * fasttext-lid.ts: the worker's own module graph must not depend on them, or one unreachable
 * file of an optional step would keep the whole guard from starting.
 */
export { default as lidGlueUrl } from 'fasttext.wasm.js/dist/core/fastText.common.js?url&no-inline';
export { default as lidWasmUrl } from 'fasttext.wasm.js/dist/core/fastText.common.wasm?url&no-inline';
export { default as lidModelUrl } from 'fasttext.wasm.js/dist/models/language-identification/assets/lid.176.ftz?url&no-inline';
