// The package's runtime files: the plain WASM build only. The WebGPU (asyncify) build is 27 MB
// (6.6 MB gzipped) more to install, and the shipped model's int8 weights run on WASM anyway;
// a page that wants WebGPU passes `runtime.webgpu` and a model with fp16 or fp32 weights.
import plainWasm from 'onnxruntime-web/ort-wasm-simd-threaded.wasm?url&no-inline';
import plainGlue from 'onnxruntime-web/ort-wasm-simd-threaded.mjs?url&no-inline';
import type { RuntimeFiles } from '../types.js';

/** The runtime files bundled with the worker, per backend; null where none is. */
export interface BundledRuntime {
  wasm: RuntimeFiles;
  webgpu: RuntimeFiles | null;
}

export const PACKAGE_RUNTIME: BundledRuntime = {
  wasm: { wasm: plainWasm, mjs: plainGlue },
  webgpu: null,
};

// The name ort-runtime.ts imports: the library build resolves its `./runtime-files.js` to this file.
export const BUNDLED_RUNTIME = PACKAGE_RUNTIME;
