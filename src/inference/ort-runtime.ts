import * as ort from 'onnxruntime-web/webgpu';
import type { BackendName, RuntimeFiles, RuntimeUrls } from '../types.js';
import { BUNDLED_RUNTIME } from './runtime-files.js';

export { ort };

let configured: { threads: number } | null = null;

/**
 * The runtime files for a backend: the page's (`runtime` option, already absolute) over the
 * ones bundled with the worker; null when there is none (the package ships no WebGPU build).
 */
export function runtimeFilesFor(backend: BackendName, given: RuntimeUrls = {}): RuntimeFiles | null {
  return given[backend] ?? BUNDLED_RUNTIME[backend];
}

/**
 * Points onnxruntime-web at its `.wasm`/`.mjs` and sets the thread count: several threads need
 * SharedArrayBuffer, which only a cross-origin isolated page has. onnxruntime-web reads these
 * settings once, at its first session, so the first call decides: the plain build when the
 * guard starts on WASM, the asyncify build when it starts on WebGPU (a WebGPU guard that falls
 * back to WASM later keeps the asyncify build: slower, still right).
 */
export function configureOrt(backend: BackendName, given: RuntimeUrls = {}): { threads: number } {
  if (configured) return configured;
  const files = runtimeFilesFor(backend, given);
  if (!files) throw new Error(`no onnxruntime-web runtime files for ${backend}`);
  const base = (globalThis as { location?: { href: string } }).location?.href;
  ort.env.wasm.wasmPaths = { wasm: new URL(files.wasm, base).href, mjs: new URL(files.mjs, base).href };
  const isolated = Boolean((globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated);
  const cores = (globalThis.navigator as { hardwareConcurrency?: number } | undefined)?.hardwareConcurrency ?? 1;
  const threads = isolated ? Math.max(1, Math.min(4, cores)) : 1;
  ort.env.wasm.numThreads = threads;
  ort.env.wasm.proxy = false;
  configured = { threads };
  return configured;
}
