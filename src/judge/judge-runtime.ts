// onnxruntime-web's WebGPU-capable (asyncify) build for the judge, in this repository's own builds
// (the demo, the tests): there transformers.js imports the same onnxruntime-web as the guard
// (package.json `overrides`), and Vite's resolve condition picks its build without embedded
// file URLs, so the judge must name the files. The library build swaps this module for
// `judge-runtime.lib.ts`: in a page's app, onnxruntime-web is whatever transformers.js brings,
// and its own bundle finds its files.
import asyncifyWasm from 'onnxruntime-web/ort-wasm-simd-threaded.asyncify.wasm?url&no-inline';
import asyncifyGlue from 'onnxruntime-web/ort-wasm-simd-threaded.asyncify.mjs?url&no-inline';
import type { RuntimeFiles } from '../types.js';

export const JUDGE_RUNTIME: RuntimeFiles | null = { wasm: asyncifyWasm, mjs: asyncifyGlue };
