import { createHash } from 'node:crypto';
import { cp, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ModelFileLoader } from '../../src/store/model-file-loader.js';
import { parseManifest } from '../../src/store/manifest.js';
import { startStaticServer, type StaticServer } from '../browser/harness/static-server.js';

const FOLDERS = ['models/guard-bert-mini', 'models/guard-use-lite', 'models/guard-minilm', 'models/guard-use-m3', 'test/fixtures/models/tiny-guard'].map((f) => new URL(`../../${f}/`, import.meta.url).pathname);
/** The small fixture model: the tamper tests copy it. */
const TINY = FOLDERS.find((f) => f.endsWith('/tiny-guard/'))!;
/** What the engine may load from a model folder: every one of these must be pinned. */
const LOADABLE = /^(config\.json|tokenizer(_config)?\.json|onnx\/.+\.onnx)$/;

async function filesUnder(folder: string, prefix = ''): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(join(folder, prefix), { withFileTypes: true })) {
    const path = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory()) out.push(...(await filesUnder(folder, path)));
    else out.push(path);
  }
  return out;
}

describe('supply chain: every loadable model file is pinned by SHA-256', () => {
  for (const folder of FOLDERS) {
    it(`${folder.split('/').slice(-3, -1).join('/')}: each weight, tokenizer and config file is in the manifest with its hash and size`, async () => {
      const manifest = parseManifest(JSON.parse(await readFile(join(folder, 'manifest.json'), 'utf8')), 'manifest');
      const loadable = (await filesUnder(folder)).filter((f) => LOADABLE.test(f)).sort();
      expect(loadable.length).toBeGreaterThanOrEqual(4);
      for (const file of loadable) {
        const entry = manifest.files[file];
        expect(entry, `${file} is not in the manifest`).toBeDefined();
        const bytes = await readFile(join(folder, file));
        expect(createHash('sha256').update(bytes).digest('hex'), file).toBe(entry!.sha256);
        expect(bytes.length, file).toBe(entry!.size);
      }
    });
  }
});

describe('the loader refuses a file that does not match its pinned hash (Node fetch, no cache)', () => {
  let root: string;
  let server: StaticServer;
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'guarded-chat-supply-'));
    await cp(TINY, join(root, 'good'), { recursive: true });
    await cp(TINY, join(root, 'tampered'), { recursive: true });
    // Same length, one byte different: only the hash can tell.
    const weights = join(root, 'tampered', 'onnx', 'model_quantized.onnx');
    const bytes = await readFile(weights);
    const middle = bytes.length >> 1;
    bytes[middle] = bytes[middle]! ^ 0x01;
    await writeFile(weights, bytes);
    server = await startStaticServer(root);
  });
  afterAll(async () => {
    await server?.close();
    await rm(root, { recursive: true, force: true });
  });

  const loader = (name: string, sha256: Record<string, string> = {}) =>
    new ModelFileLoader({ id: name, revision: 'main', baseUrl: `${server.url}/${name}/`, sha256 }, null, { retry: { attempts: 1, baseDelayMs: 0, maxDelayMs: 0, stallTimeoutMs: 10_000 } });

  it('loads the untouched files', async () => {
    const good = loader('good');
    await good.loadManifest();
    const files = await good.loadFiles(['onnx/model_quantized.onnx', 'config.json']);
    expect(files.get('onnx/model_quantized.onnx')!.byteLength).toBe(1_131_209);
  });

  it('refuses a tampered file of the right length with integrity-failed, after fetching it twice', async () => {
    const tampered = loader('tampered');
    await tampered.loadManifest();
    server.requests.length = 0;
    await expect(tampered.loadFiles(['onnx/model_quantized.onnx'])).rejects.toMatchObject({ code: 'integrity-failed' });
    expect(server.requests).toEqual(['/tampered/onnx/model_quantized.onnx', '/tampered/onnx/model_quantized.onnx']);
  });

  it('a caller-pinned hash wins over the manifest', async () => {
    const pinned = loader('good', { 'config.json': 'f'.repeat(64) });
    await pinned.loadManifest();
    await expect(pinned.loadFiles(['config.json'])).rejects.toMatchObject({ code: 'integrity-failed' });
  });
});
