import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { defaultClientConditions, defineConfig, type Plugin } from 'vite';
import { bundlerVisibleUrls, shipModels } from './build/package-plugins.js';

/**
 * Model folders the demo loads at run time. The dev server serves them from the project root
 * as they are; the demo build copies them to the same paths, so one URL works in both.
 * `test/fixtures/hub/` is laid out as a model hub (`<org>/<name>/resolve/<revision>/`): the
 * tiny judge the demo's second review can use offline.
 */
const MODEL_FOLDERS = ['models', 'test/fixtures/models', 'test/fixtures/hub'];

/** Files a model folder serves: not the training recipe, not installed packages. */
const NOT_SERVED = new Set(['train', 'node_modules']);

function filesUnder(folder: string): string[] {
  return readdirSync(folder).flatMap((name) => {
    if (NOT_SERVED.has(name)) return [];
    const path = join(folder, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

function emitModelFolders(root: string): Plugin {
  return {
    name: 'guarded-chat:emit-model-folders',
    apply: 'build',
    generateBundle() {
      for (const folder of MODEL_FOLDERS.map((f) => join(root, f)).filter(existsSync)) {
        for (const file of filesUnder(folder)) {
          this.emitFile({ type: 'asset', fileName: relative(root, file), source: readFileSync(file) });
        }
      }
    },
  };
}

/** The headers that make a page cross-origin isolated (SharedArrayBuffer, so WASM threads). */
const ISOLATION_HEADERS = { 'cross-origin-opener-policy': 'same-origin', 'cross-origin-embedder-policy': 'require-corp' };

/**
 * `npm run demo` serves the build as production hosts serve hashed assets: `assets/` (file names
 * carry a content hash) as immutable, the rest revalidated. Chromium then keeps the compiled
 * onnxruntime-web runtime between visits; with every file revalidated (vite preview's default) it
 * recompiles the runtime on most reloads, and the warm start takes about 0.25 s longer.
 */
function cacheHashedAssets(): Plugin {
  return {
    name: 'guarded-chat:cache-hashed-assets',
    configurePreviewServer(server) {
      server.middlewares.use((req, res, next) => {
        if (/\/assets\/[^/]+-[\w-]{8}\.\w+$/.test(req.url?.split('?')[0] ?? '')) {
          // The static handler keeps a cache-control already set (sirv's send reads it back).
          res.setHeader('cache-control', 'public, max-age=31536000, immutable');
        }
        next();
      });
    },
  };
}

export default defineConfig(({ mode }) => {
  const root = import.meta.dirname;
  const shared = {
    // onnxruntime-web finds its .wasm through paths we set; pre-bundling it gains nothing.
    optimizeDeps: { exclude: ['onnxruntime-web'], include: ['comlink', '@huggingface/tokenizers'] },
    // The condition picks onnxruntime-web's build that does not embed a `new URL(...wasm)`:
    // we point it at the runtime files ourselves (src/inference/ort-runtime.ts).
    resolve: { conditions: ['onnxruntime-web-use-extern-wasm', ...defaultClientConditions] },
    // One file per worker: the language step's files module (imported on demand, so that the
    // worker starts without it) is inlined rather than a chunk a page's bundler must find.
    worker: { format: 'es' as const, rolldownOptions: { output: { codeSplitting: false } } },
    // Relative asset URLs: the library and the demo work from whatever path they are served at.
    base: './',
  };
  if (mode === 'lib') {
    return {
      ...shared,
      plugins: [shipModels(root), bundlerVisibleUrls(root)],
      resolve: {
        ...shared.resolve,
        // The package's runtime: the plain WASM build only (see src/inference/runtime-files.lib.ts).
        alias: [
          { find: /^\.\/runtime-files\.js$/, replacement: join(root, 'src/inference/runtime-files.lib.ts') },
          { find: /^\.\/judge-runtime\.js$/, replacement: join(root, 'src/judge/judge-runtime.lib.ts') },
        ],
      },
      build: {
        outDir: 'dist/lib',
        emptyOutDir: true,
        target: 'es2022',
        // Two entries: the guard, and `guarded-chat/judge` (the guard LLM), which only pages that
        // import it pull in.
        lib: { entry: { index: join(root, 'src/index.ts'), judge: join(root, 'src/judge/index.ts') }, formats: ['es' as const], fileName: (_format: string, name: string) => `${name}.js` },
        rolldownOptions: {
          // A library leaves its dependencies to the page's bundler, but the worker bundles its own.
          // The shipped models' URLs are a module the build writes (build/package-plugins.ts).
          external: [/^lit(\/|$)/, /^comlink$/, /^idb$/, /\/shipped-model-files\.js$/, /^@huggingface\/transformers$/],
        },
      },
      // The judge's worker leaves transformers.js (an optional peer dependency) to the page's
      // bundler, which then also finds onnxruntime-web's WebGPU runtime files beside it.
      worker: { ...shared.worker, rolldownOptions: { ...shared.worker.rolldownOptions, external: [/^@huggingface\/transformers$/] } },
    };
  }
  return {
    ...shared,
    plugins: [emitModelFolders(root), cacheHashedAssets()],
    build: { outDir: 'dist/demo', emptyOutDir: true, target: 'es2022' },
    // Cross-origin isolated, as the README advises pages to be: the guard then runs WASM on several
    // threads, and a returning visitor's guard is ready sooner (docs/performance.md).
    // DEMO_ISOLATED=0 serves it without, to measure the difference (test/bench/demo-reload.ts).
    preview: { port: 4173, strictPort: false, headers: process.env.DEMO_ISOLATED === '0' ? {} : ISOLATION_HEADERS },
  };
});
