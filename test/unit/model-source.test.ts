import { describe, expect, it } from 'vitest';
import { GuardError } from '../../src/errors.js';
import { resolveModelSource } from '../../src/store/model-source.js';

const PAGE = 'https://app.example/chat/index.html';
/** As a bundler leaves them: each file renamed, in one assets folder. */
const SHIPPED = {
  'guard-small': {
    'manifest.json': '/assets/manifest-a1.json',
    'config.json': 'data:application/json;base64,e30=',
    'onnx/model_quantized.onnx': 'https://cdn.example/model_quantized-b2.onnx',
  },
};

describe('resolveModelSource', () => {
  it('resolves a folder URL against the page and keys it by URL + revision', () => {
    expect(resolveModelSource({ url: '../m/tiny' }, PAGE, SHIPPED)).toEqual({
      id: 'https://app.example/m/tiny/', revision: 'main', baseUrl: 'https://app.example/m/tiny/', sha256: {},
    });
  });

  it('maps a hub id to <host>/<id>/resolve/<revision>/', () => {
    const source = resolveModelSource({ hub: 'acme/injection-small', revision: 'v1.2', host: 'http://127.0.0.1:9000' }, PAGE, SHIPPED);
    expect(source.baseUrl).toBe('http://127.0.0.1:9000/acme/injection-small/resolve/v1.2/');
    expect(source.id).toBe('hub:http://127.0.0.1:9000/acme/injection-small');
    expect(source.revision).toBe('v1.2');
  });

  it('defaults the hub host to the Hugging Face hub', () => {
    expect(resolveModelSource({ hub: 'acme/x' }, PAGE, SHIPPED).baseUrl).toMatch(/^https:\/\/huggingface\.co\/acme\/x\/resolve\/main\/$/);
  });

  it('finds a shipped model\'s files wherever the bundler put them, each resolved against the page', () => {
    const source = resolveModelSource({ name: 'guard-small' }, PAGE, SHIPPED);
    expect(source.id).toBe('shipped:guard-small');
    expect(source.files).toEqual({
      'manifest.json': 'https://app.example/assets/manifest-a1.json',
      'config.json': 'data:application/json;base64,e30=',
      'onnx/model_quantized.onnx': 'https://cdn.example/model_quantized-b2.onnx',
    });
    expect(source.baseUrl).toBe('https://app.example/assets/');
  });

  it('takes a shipped model from a folder the page serves, when it gives one', () => {
    const source = resolveModelSource({ name: 'guard-small', baseUrl: '/static/models' }, PAGE, SHIPPED);
    expect(source).toEqual({ id: 'shipped:guard-small', revision: 'main', baseUrl: 'https://app.example/static/models/guard-small/', sha256: {} });
  });

  it('names the shipped models when asked for one the build does not carry', () => {
    expect(() => resolveModelSource({ name: 'guard-bert-mini' }, PAGE, SHIPPED)).toThrow(/no model named "guard-bert-mini" ships with this package \(it has: guard-small\)/);
  });

  it('lower-cases pinned hashes', () => {
    expect(resolveModelSource({ url: '/m/', sha256: { 'config.json': 'AB'.repeat(32) } }, PAGE, SHIPPED).sha256).toEqual({ 'config.json': 'ab'.repeat(32) });
  });

  it('rejects malformed sources with invalid-input', () => {
    for (const bad of [{ hub: 'no-slash' }, { name: '../escape' }, {}] as never[]) {
      expect(() => resolveModelSource(bad, PAGE, SHIPPED)).toThrow(GuardError);
    }
  });
});
