import * as ort from 'onnxruntime-web/webgpu';
// The runtime's own files come from the package's build output, never from a CDN: the page
// must keep working with the network cut once it has loaded. `?url` makes Vite emit them.
import ortWasmUrl from 'onnxruntime-web/ort-wasm-simd-threaded.asyncify.wasm?url&no-inline';
import ortGlueUrl from 'onnxruntime-web/ort-wasm-simd-threaded.asyncify.mjs?url&no-inline';

export { ort };

let configured: { threads: number } | null = null;

/**
 * Points onnxruntime-web at its bundled `.wasm`/`.mjs` and sets the thread count: several
 * threads need SharedArrayBuffer, which only a cross-origin isolated page has.
 * Idempotent: onnxruntime-web reads these settings once, at its first session.
 */
export function configureOrt(): { threads: number } {
  if (configured) return configured;
  const base = (globalThis as { location?: { href: string } }).location?.href;
  ort.env.wasm.wasmPaths = {
    wasm: new URL(ortWasmUrl, base).href,
    mjs: new URL(ortGlueUrl, base).href,
  };
  const isolated = Boolean((globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated);
  const cores = (globalThis.navigator as { hardwareConcurrency?: number } | undefined)?.hardwareConcurrency ?? 1;
  const threads = isolated ? Math.max(1, Math.min(4, cores)) : 1;
  ort.env.wasm.numThreads = threads;
  ort.env.wasm.proxy = false;
  configured = { threads };
  return configured;
}
