// onnxruntime-web's own runtime files, as URLs the bundler sees (`?url` makes Vite emit them;
// the built worker keeps them as `new URL('<file>', import.meta.url)`, which the page's bundler
// sees again). Never a CDN: the page must keep working with the network cut once it loaded.
// Two builds of one runtime: the plain one runs the CPU kernels much faster (int8 model, 64
// tokens, one thread, Chromium: p50 about 5 ms against 12 ms) and is half the download; the
// asyncify one is what the WebGPU backend needs.
// The library build (vite.config.ts, mode `lib`) swaps this module for `runtime-files.lib.ts`,
// which leaves the WebGPU build out of the package: see that file.
import asyncifyWasm from 'onnxruntime-web/ort-wasm-simd-threaded.asyncify.wasm?url&no-inline';
import asyncifyGlue from 'onnxruntime-web/ort-wasm-simd-threaded.asyncify.mjs?url&no-inline';
import { PACKAGE_RUNTIME, type BundledRuntime } from './runtime-files.lib.js';

export const BUNDLED_RUNTIME: BundledRuntime = { ...PACKAGE_RUNTIME, webgpu: { wasm: asyncifyWasm, mjs: asyncifyGlue } };
