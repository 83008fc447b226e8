import * as ort from 'onnxruntime-web/webgpu';
// The runtime's own files come from the package's build output, never from a CDN: the page
// must keep working with the network cut once it has loaded. `?url` makes Vite emit them.
// Two builds of the same runtime: the asyncify one is what the WebGPU backend needs; the plain
// one runs the CPU kernels much faster (int8 model, 64 tokens, one thread, Chromium: p50 about
// 5 ms against 12 ms) and is half the download (14 MB against 27 MB), so WASM-only guards take it.
import ortPlainWasmUrl from 'onnxruntime-web/ort-wasm-simd-threaded.wasm?url&no-inline';
import ortPlainGlueUrl from 'onnxruntime-web/ort-wasm-simd-threaded.mjs?url&no-inline';
import ortAsyncifyWasmUrl from 'onnxruntime-web/ort-wasm-simd-threaded.asyncify.wasm?url&no-inline';
import ortAsyncifyGlueUrl from 'onnxruntime-web/ort-wasm-simd-threaded.asyncify.mjs?url&no-inline';
import type { BackendName } from '../types.js';

export { ort };

/** Which build of onnxruntime-web's WASM runtime this worker loaded. */
export type OrtBuild = 'plain' | 'asyncify';

let configured: { threads: number; build: OrtBuild } | null = null;

/**
 * Points onnxruntime-web at its bundled `.wasm`/`.mjs` and sets the thread count: several
 * threads need SharedArrayBuffer, which only a cross-origin isolated page has.
 * onnxruntime-web reads these settings once, at its first session, so the first call decides:
 * the plain build when the guard starts on WASM, the asyncify build when it may use WebGPU
 * (a WebGPU guard that falls back to WASM later keeps the asyncify build: slower, still right).
 */
export function configureOrt(backend: BackendName = 'webgpu'): { threads: number; build: OrtBuild } {
  if (configured) return configured;
  const base = (globalThis as { location?: { href: string } }).location?.href;
  const build: OrtBuild = backend === 'wasm' ? 'plain' : 'asyncify';
  ort.env.wasm.wasmPaths = build === 'plain'
    ? { wasm: new URL(ortPlainWasmUrl, base).href, mjs: new URL(ortPlainGlueUrl, base).href }
    : { wasm: new URL(ortAsyncifyWasmUrl, base).href, mjs: new URL(ortAsyncifyGlueUrl, base).href };
  const isolated = Boolean((globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated);
  const cores = (globalThis.navigator as { hardwareConcurrency?: number } | undefined)?.hardwareConcurrency ?? 1;
  const threads = isolated ? Math.max(1, Math.min(4, cores)) : 1;
  ort.env.wasm.numThreads = threads;
  ort.env.wasm.proxy = false;
  configured = { threads, build };
  return configured;
}
