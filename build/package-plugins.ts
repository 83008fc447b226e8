import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Plugin } from 'vite';

/**
 * What the package ships of a model: the files a WASM guard loads (int8 weights, tokenizer,
 * config), its card, and a manifest that lists those files only. Other precisions stay in the
 * repository (`models/`), served by whoever wants them.
 */
const SHIPPED_FILES = ['config.json', 'tokenizer.json', 'tokenizer_config.json', 'onnx/model_quantized.onnx'];

/** The models the package carries; the first is the default (`src/shipped-models.ts`). */
const PACKAGE_MODELS = ['guard-use-lite'];

function fail(message: string): never {
  throw new Error(`guarded-chat build: ${message}`);
}

/**
 * Copies the shipped models' int8 files to `dist/models/<name>/` with a manifest trimmed to
 * them, and writes `dist/lib/shipped-model-files.js`: each file as a `new URL(<literal>,
 * import.meta.url)`, the form the page's bundler sees and copies. It takes the place of
 * `src/shipped-model-files.ts`, which the library build leaves external.
 */
export function shipModels(root: string): Plugin {
  return {
    name: 'guarded-chat:ship-models',
    apply: 'build',
    closeBundle() {
      const target = join(root, 'dist', 'models');
      rmSync(target, { recursive: true, force: true });
      const table: string[] = [];
      for (const name of PACKAGE_MODELS) {
        const source = join(root, 'models', name);
        const manifest = JSON.parse(readFileSync(join(source, 'manifest.json'), 'utf8'));
        const listed = new Set((manifest.files as { path: string }[]).map((f) => f.path));
        for (const file of SHIPPED_FILES) if (!listed.has(file)) fail(`models/${name}/manifest.json does not list ${file}`);
        for (const file of [...SHIPPED_FILES, 'MODEL_CARD.md']) {
          mkdirSync(dirname(join(target, name, file)), { recursive: true });
          cpSync(join(source, file), join(target, name, file));
        }
        const trimmed = {
          ...manifest,
          files: manifest.files.filter((f: { path: string }) => SHIPPED_FILES.includes(f.path)),
          dtypes: { q8: 'onnx/model_quantized.onnx' },
          shipped_by: 'the guarded-chat package: int8 weights only; the repository\'s models/ folder has fp16 and fp32',
        };
        writeFileSync(join(target, name, 'manifest.json'), `${JSON.stringify(trimmed, null, 2)}\n`);
        const urls = ['manifest.json', ...SHIPPED_FILES]
          .map((file) => `    ${JSON.stringify(file)}: new URL(${JSON.stringify(`../models/${name}/${file}`)}, import.meta.url).href,`);
        table.push(`  ${JSON.stringify(name)}: {\n${urls.join('\n')}\n  },`);
      }
      writeFileSync(join(root, 'dist', 'lib', 'shipped-model-files.js'),
        `// Written by the build (build/package-plugins.ts): the package's models, as URLs a bundler sees.\nexport const SHIPPED_MODEL_FILES = {\n${table.join('\n')}\n};\n`);
    },
  };
}

/** Replaces `pattern` in a built file; the build fails if it is not there (Vite's output changed). */
function rewrite(file: string, pattern: RegExp, replace: (...groups: string[]) => string): void {
  const code = readFileSync(file, 'utf8');
  if (!pattern.test(code)) fail(`${file}: expected ${pattern} in the build output`);
  writeFileSync(file, code.replace(pattern, replace));
}

/**
 * Vite's library output hides the workers (the guard's, and the judge's in `judge.js`) and the
 * guard worker's runtime files from the page's bundler: it wraps a worker URL in
 * `new URL(/* @vite-ignore *\/ …)` and writes the asset URLs as template literals. These
 * rewrites give both the form bundlers look for,
 * `new Worker(new URL('./x.js', import.meta.url))` and `new URL('./x.wasm', import.meta.url)`,
 * so a page's production build copies the worker, the runtime and fastText with it. One
 * reference in onnxruntime-web (its own file, used only when it runs from `file:`) would make
 * bundlers look for a file the package does not have; it is pointed at the worker itself.
 */
export function bundlerVisibleUrls(root: string): Plugin {
  return {
    name: 'guarded-chat:bundler-visible-urls',
    apply: 'build',
    closeBundle() {
      const lib = join(root, 'dist', 'lib');
      for (const [entry, worker] of [['index.js', 'guard'], ['judge.js', 'judge']]) {
        rewrite(join(lib, entry!),
          new RegExp(`new Worker\\(new URL\\(\\s*\\/\\* @vite-ignore \\*\\/\\s*new URL\\("(assets\\/${worker}\\.worker-[\\w-]+\\.js)", import\\.meta\\.url\\)\\.href,\\s*"" \\+ import\\.meta\\.url\\s*\\)`),
          (_, path) => `new Worker(new URL("./${path}", import.meta.url)`);
      }
      const workers = readdirSync(join(lib, 'assets')).filter((f) => /^guard\.worker-[\w-]+\.js$/.test(f));
      if (workers.length !== 1) fail(`expected one worker in dist/lib/assets, found ${workers.length}`);
      const worker = join(lib, 'assets', workers[0]!);
      rewrite(worker, /new URL\(`ort\.webgpu\.min\.mjs`,import\.meta\.url\)\.href/, () => 'import.meta.url');
      rewrite(worker, /new URL\(`([\w.-]+)`,import\.meta\.url\)/g, (_, file) => `new URL("./${file}",import.meta.url)`);
      for (const file of readFileSync(worker, 'utf8').matchAll(/new URL\("\.\/([\w.-]+)",import\.meta\.url\)/g)) {
        if (!existsSync(join(lib, 'assets', file[1]!))) fail(`the worker refers to ${file[1]}, which the build did not emit`);
      }
    },
  };
}
