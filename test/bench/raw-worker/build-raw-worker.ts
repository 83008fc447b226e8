/**
 * Bundles `raw-worker.ts` (transformers.js's web build + onnxruntime-web from node_modules, the
 * same 1.30.0 the guard uses, through the package's `overrides`) into one ES module that a
 * module worker can load: workers get no import map, so bare imports must be resolved here.
 */
import { build } from 'vite';

export async function buildRawWorker(root: string): Promise<string> {
  const outDir = `${root}reports/bench-build/`;
  await build({
    configFile: false,
    logLevel: 'warn',
    root,
    build: {
      outDir,
      emptyOutDir: true,
      minify: false,
      // Not library mode, which inlines every asset: onnxruntime-web refers to its .wasm by URL
      // (unused here, wasmPaths points at node_modules' copy) and that stays a file.
      assetsInlineLimit: 0,
      rolldownOptions: { input: `${root}test/bench/raw-worker/raw-worker.ts`, output: { format: 'es', entryFileNames: 'raw-worker.js', codeSplitting: false } },
    },
  });
  return '/reports/bench-build/raw-worker.js';
}
