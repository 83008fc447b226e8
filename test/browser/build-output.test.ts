import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

// The browser project's global setup runs `npm run build` first; these check what it left.
const root = new URL('../../', import.meta.url);
const list = (dir: string) => readdirSync(new URL(dir, root));
const read = (file: string) => readFileSync(new URL(file, root), 'utf8');

describe('npm run build', () => {
  it('produces the library as ESM with its worker and the runtime files beside it', () => {
    const lib = read('dist/lib/index.js');
    expect(lib).toMatch(/export \{[^}]*createGuard/);
    expect(lib).not.toMatch(/\brequire\(/);
    const assets = list('dist/lib/assets/');
    expect(assets.some((f) => /^guard\.worker-[\w-]+\.js$/.test(f))).toBe(true);
    expect(assets.some((f) => /^ort-wasm-simd-threaded\.asyncify-[\w-]+\.wasm$/.test(f))).toBe(true);
    expect(assets.some((f) => /^ort-wasm-simd-threaded\.asyncify-[\w-]+\.mjs$/.test(f))).toBe(true);
    // The plain build too: WASM-only guards run it (faster CPU kernels, half the download).
    expect(assets.some((f) => /^ort-wasm-simd-threaded-[\w-]+\.wasm$/.test(f))).toBe(true);
    expect(assets.some((f) => /^ort-wasm-simd-threaded-[\w-]+\.mjs$/.test(f))).toBe(true);
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
    expect(assets.some((f) => f.endsWith('.wasm'))).toBe(true);
    expect(existsSync(new URL('dist/demo/test/fixtures/models/tiny-guard/onnx/model_quantized.onnx', root))).toBe(true);
  });

  it('declares the package shape: ESM only, typed exports, side effects that register elements', () => {
    const pkg = JSON.parse(read('package.json'));
    expect(pkg.type).toBe('module');
    expect(pkg.exports['.']).toEqual({ types: './dist/types/index.d.ts', import: './dist/lib/index.js' });
    expect(pkg.sideEffects).toContain('./dist/lib/index.js');
  });
});
