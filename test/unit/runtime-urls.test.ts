import { describe, expect, it } from 'vitest';
import { GuardError } from '../../src/errors.js';
import { resolveRuntimeUrls } from '../../src/inference/runtime-urls.js';

const PAGE = 'https://app.example/chat/index.html';

describe('resolveRuntimeUrls', () => {
  it('makes the page\'s runtime URLs absolute (the worker resolves against its own URL, not the page\'s)', () => {
    expect(resolveRuntimeUrls({ webgpu: { wasm: '../ort/a.wasm', mjs: 'https://cdn.example/a.mjs' } }, PAGE)).toEqual({
      webgpu: { wasm: 'https://app.example/ort/a.wasm', mjs: 'https://cdn.example/a.mjs' },
    });
    expect(resolveRuntimeUrls(undefined, PAGE)).toEqual({});
  });

  it('refuses a backend entry without both files, with invalid-input', () => {
    for (const bad of [{ wasm: { wasm: '/a.wasm' } }, { webgpu: { wasm: '', mjs: '/a.mjs' } }, { wasm: null }] as never[]) {
      expect(() => resolveRuntimeUrls(bad, PAGE)).toThrow(GuardError);
      expect(() => resolveRuntimeUrls(bad, PAGE)).toThrow(/needs two URLs, \{ wasm, mjs \}/);
    }
  });
});
