import { describe, expect, it } from 'vitest';
import { GuardError } from '../../src/errors.js';
import { resolveModelSource } from '../../src/store/model-source.js';

const PAGE = 'https://app.example/chat/index.html';
const SHIPPED = 'https://app.example/node_modules/guarded-chat/models/';

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

  it('finds shipped models under the package models folder, or a base the page gives', () => {
    expect(resolveModelSource({ name: 'guard-small' }, PAGE, SHIPPED).baseUrl).toBe(`${SHIPPED}guard-small/`);
    expect(resolveModelSource({ name: 'guard-small', baseUrl: '/assets/models' }, PAGE, SHIPPED).baseUrl).toBe('https://app.example/assets/models/guard-small/');
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
