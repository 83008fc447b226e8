import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { GuardError } from '../../src/errors.js';
import { parseManifest } from '../../src/store/manifest.js';

const HASH = 'a'.repeat(64);

describe('parseManifest', () => {
  it('reads files as a map or as a list, sizes as bytes or size', () => {
    expect(parseManifest({ files: { 'a.onnx': { sha256: HASH, bytes: 3 } } }, 'm').files).toEqual({ 'a.onnx': { sha256: HASH, size: 3 } });
    expect(parseManifest({ files: [{ path: 'a.onnx', sha256: HASH.toUpperCase(), size: 3 }] }, 'm').files).toEqual({ 'a.onnx': { sha256: HASH, size: 3 } });
  });

  it('keeps the rest of the manifest', () => {
    expect(parseManifest({ files: {}, labels: ['x'] }, 'm').extra).toEqual({ labels: ['x'] });
  });

  it('refuses an entry without a valid SHA-256', () => {
    expect(() => parseManifest({ files: { 'a.onnx': { sha256: 'abc' } } }, 'm')).toThrow(GuardError);
    expect(() => parseManifest(null, 'm')).toThrow(GuardError);
  });
});

// Supply chain: a manifest that disagrees with the files beside it would make the loader refuse them.
describe('every manifest in the repository matches its files', () => {
  const roots = ['models', 'test/fixtures/models'].map((r) => new URL(`../../${r}/`, import.meta.url));
  const folders = roots.filter((r) => existsSync(r)).flatMap((root) =>
    readdirSync(root).map((name) => new URL(`${name}/`, root)).filter((dir) => existsSync(new URL('manifest.json', dir))));

  it('finds the fixture manifest at least', () => {
    expect(folders.some((f) => f.pathname.endsWith('/tiny-guard/'))).toBe(true);
  });

  for (const folder of folders) {
    it(`${folder.pathname.split('/').slice(-3, -1).join('/')}: sizes and SHA-256 of every listed file`, () => {
      const manifest = parseManifest(JSON.parse(readFileSync(new URL('manifest.json', folder), 'utf8')), 'manifest');
      expect(Object.keys(manifest.files).length).toBeGreaterThan(0);
      for (const [file, entry] of Object.entries(manifest.files)) {
        const bytes = readFileSync(new URL(file, folder));
        expect(createHash('sha256').update(bytes).digest('hex'), file).toBe(entry.sha256);
        if (entry.size !== undefined) expect(bytes.length, file).toBe(entry.size);
      }
    });
  }
});
