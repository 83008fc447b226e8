import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { preview } from 'vite';
import { describe, expect, it } from 'vitest';

// The browser project's global setup runs `npm run build` first; these check what it left.
const root = new URL('../../', import.meta.url);
const list = (dir: string) => readdirSync(new URL(dir, root));
const read = (file: string) => readFileSync(new URL(file, root), 'utf8');

describe('npm run build', () => {
  it('produces the library as ESM with its worker and the plain WASM runtime beside it, not the WebGPU build', () => {
    const lib = read('dist/lib/index.js');
    expect(lib).toMatch(/export \{[^}]*createGuard/);
    expect(lib).not.toMatch(/\brequire\(/);
    const assets = list('dist/lib/assets/');
    expect(assets.some((f) => /^guard\.worker-[\w-]+\.js$/.test(f))).toBe(true);
    expect(assets.some((f) => /^ort-wasm-simd-threaded-[\w-]+\.wasm$/.test(f))).toBe(true);
    expect(assets.some((f) => /^ort-wasm-simd-threaded-[\w-]+\.mjs$/.test(f))).toBe(true);
    expect(assets.filter((f) => f.includes('asyncify'))).toEqual([]);
  });

  it('writes the worker and every asset URL in the form a page\'s bundler sees and copies', () => {
    expect(read('dist/lib/index.js')).toMatch(/new Worker\(new URL\("\.\/assets\/guard\.worker-[\w-]+\.js", import\.meta\.url\)/);
    const worker = read(`dist/lib/assets/${list('dist/lib/assets/').find((f) => f.startsWith('guard.worker-'))}`);
    expect(worker).not.toMatch(/@vite-ignore\s*\*\/\s*new URL/);
    const referenced = [...worker.matchAll(/new URL\("\.\/([\w.-]+)",import\.meta\.url\)/g)].map((m) => m[1]);
    expect(referenced.filter((f) => /^ort-wasm-simd-threaded-[\w-]+\.(wasm|mjs)$/.test(f!))).toHaveLength(2);
    expect(referenced.filter((f) => /^(fastText\.common|lid\.176)-/.test(f!))).toHaveLength(3);
    const models = read('dist/lib/shipped-model-files.js');
    for (const file of ['manifest.json', 'config.json', 'tokenizer.json', 'tokenizer_config.json', 'onnx/model_quantized.onnx']) {
      expect(models).toContain(`new URL("../models/guard-use-lite/${file}", import.meta.url)`);
      expect(existsSync(new URL(`dist/models/guard-use-lite/${file}`, root))).toBe(true);
    }
  });

  it('keeps the guard LLM out of the base entry: guarded-chat/judge has its worker, which leaves transformers.js to the page\'s bundler', () => {
    const base = read('dist/lib/index.js');
    expect(base).not.toMatch(/@huggingface\/transformers|judge\.worker/);
    const judge = read('dist/lib/judge.js');
    expect(judge).toMatch(/new Worker\(new URL\("\.\/assets\/judge\.worker-[\w-]+\.js", import\.meta\.url\)/);
    // Nothing of the base is shared with it but what both import from outside (comlink).
    expect([...judge.matchAll(/^import .* from "([^"]+)";$/gm)].map((m) => m[1])).toEqual(['comlink']);
    const worker = read(`dist/lib/assets/${list('dist/lib/assets/').find((f) => f.startsWith('judge.worker-'))}`);
    expect(worker).toMatch(/from\s*"@huggingface\/transformers"/);
    // No runtime files of its own: onnxruntime-web comes with transformers.js, in the page's build.
    expect(worker).not.toMatch(/new URL\([^)]*\.(wasm|mjs)/);
    const pkg = JSON.parse(read('package.json'));
    expect(pkg.exports['./judge']).toEqual({ types: './dist/types/judge/index.d.ts', import: './dist/lib/judge.js' });
    expect(pkg.peerDependenciesMeta['@huggingface/transformers']).toEqual({ optional: true });
    expect(pkg.dependencies['@huggingface/transformers']).toBeUndefined();
  });

  it('ships the default model\'s int8 weights with a manifest that lists only what ships', () => {
    const manifest = JSON.parse(read('dist/models/guard-use-lite/manifest.json'));
    const source = JSON.parse(read('models/guard-use-lite/manifest.json'));
    expect(manifest.files.map((f: { path: string }) => f.path).sort()).toEqual(['config.json', 'onnx/model_quantized.onnx', 'tokenizer.json', 'tokenizer_config.json']);
    for (const file of manifest.files) expect(source.files).toContainEqual(file);
    expect(manifest.thresholds).toEqual(source.thresholds);
    expect(existsSync(new URL('dist/models/guard-use-lite/onnx/model_fp16.onnx', root))).toBe(false);
  });

  it('writes a Custom Elements Manifest with every element, its attributes, events and parts', () => {
    const manifest = JSON.parse(read('custom-elements.json'));
    const elements = manifest.modules.flatMap((m: { declarations?: { tagName?: string }[] }) => m.declarations ?? []).filter((d: { tagName?: string }) => d.tagName);
    const byTag = Object.fromEntries(elements.map((d: { tagName: string }) => [d.tagName, d]));
    expect(Object.keys(byTag).sort()).toEqual(['guard-status', 'guarded-chat', 'guarded-input', 'guarded-output']);
    const names = (list?: { name: string }[]) => (list ?? []).map((x) => x.name);
    expect(names(byTag['guarded-chat'].attributes)).toEqual(expect.arrayContaining(['model', 'backend', 'policy', 'endpoint', 'chat-model', 'conversation']));
    expect(names(byTag['guarded-chat'].events)).toEqual(expect.arrayContaining(['guard-ready', 'guard-verdict', 'guard-blocked', 'guard-error', 'guard-new-conversation']));
    expect(names(byTag['guarded-chat'].cssParts)).toContain('composer');
    expect(names(byTag['guarded-input'].slots).length).toBeGreaterThan(0);
    expect(names(byTag['guard-status'].attributes)).toEqual(['model', 'backend', 'policy']);
    expect(JSON.parse(read('package.json')).customElements).toBe('custom-elements.json');
  });

  it('inlines no runtime into JavaScript and points at no CDN', () => {
    for (const file of list('dist/lib/assets/').filter((f) => f.endsWith('.js'))) {
      const code = read(`dist/lib/assets/${file}`);
      expect(code.length).toBeLessThan(1_000_000);
      expect(code).not.toMatch(/cdn\.jsdelivr\.net|unpkg\.com|huggingface\.co/);
    }
  });

  it('emits type declarations for the public API', () => {
    const types = read('dist/types/index.d.ts');
    for (const name of ['createGuard', 'Guard', 'GuardError', 'GuardOptions', 'ScreenResult', 'BackendInfo']) {
      expect(types).toContain(name);
    }
  });

  it('builds the demo with the worker, the runtime and the model it loads', () => {
    expect(existsSync(new URL('dist/demo/index.html', root))).toBe(true);
    const assets = list('dist/demo/assets/');
    expect(assets.some((f) => /^guard\.worker-[\w-]+\.js$/.test(f))).toBe(true);
    // The demo runs from this repository's sources: both runtime builds, WebGPU's included.
    expect(assets.some((f) => /^ort-wasm-simd-threaded\.asyncify-[\w-]+\.wasm$/.test(f))).toBe(true);
    expect(assets.some((f) => /^ort-wasm-simd-threaded-[\w-]+\.wasm$/.test(f))).toBe(true);
    expect(existsSync(new URL('dist/demo/test/fixtures/models/tiny-guard/onnx/model_quantized.onnx', root))).toBe(true);
  });

  it('declares the package shape: ESM only, typed exports, side effects that register elements', () => {
    const pkg = JSON.parse(read('package.json'));
    expect(pkg.type).toBe('module');
    expect(pkg.exports['.']).toEqual({ types: './dist/types/index.d.ts', import: './dist/lib/index.js' });
    expect(pkg.sideEffects).toContain('./dist/lib/index.js');
  });
});

describe('npm run demo', () => {
  it('serves the built demo cross-origin isolated, with hashed assets immutable and the page revalidated', async () => {
    const server = await preview({ root: new URL('.', root).pathname, configFile: new URL('vite.config.ts', root).pathname,
      logLevel: 'silent', preview: { port: 0, host: '127.0.0.1', strictPort: false } });
    try {
      const base = server.resolvedUrls?.local[0];
      expect(base).toBeTruthy();
      const page = await fetch(base!);
      expect(page.status).toBe(200);
      expect(page.headers.get('cross-origin-opener-policy')).toBe('same-origin');
      expect(page.headers.get('cross-origin-embedder-policy')).toBe('require-corp');
      expect(page.headers.get('cache-control') ?? '').not.toContain('immutable');
      const runtime = list('dist/demo/assets/').find((f) => /^ort-wasm-simd-threaded-[\w-]+\.wasm$/.test(f));
      const asset = await fetch(new URL(`assets/${runtime}`, base));
      expect(asset.status).toBe(200);
      expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
      await asset.body?.cancel();
    } finally {
      await new Promise<void>((resolve) => server.httpServer.close(() => resolve()));
    }
  });
});
