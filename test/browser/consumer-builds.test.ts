import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { build, createServer, type ViteDevServer } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, type FreshBrowser } from './harness/chromium.js';
import { consumerOutcome, folderBytes, installPackedPackage, webpackBuild, type ConsumerProject } from './harness/consumer-app.js';
import { startStaticServer } from './harness/static-server.js';

const MB = 1024 * 1024;
const ROOT = new URL('../../', import.meta.url).pathname;
/** The README's Content-Security-Policy for pages using the guard (test/browser/csp.test.ts tests the demo under it). */
const STRICT_CSP = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; worker-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'";

/**
 * The package as an app gets it: `npm pack`, installed into a fresh project, built by the
 * app's own bundler with no configuration of ours, the *built* output served plainly, and a
 * page that screens in Chromium with the default model. Every setup the README names.
 */
describe('the packed package in a consumer app', () => {
  let project: ConsumerProject;
  let browser: FreshBrowser;

  beforeAll(async () => {
    project = installPackedPackage();
    browser = await launchChromium();
  }, 300_000);
  afterAll(async () => {
    await browser?.close();
    if (project) rmSync(project.dir, { recursive: true, force: true });
  });

  /** Serves `folder` (with `headers`) and checks the page screens as it should, with no request failing. */
  async function screensIn(folder: string, page = 'index.html', headers: Record<string, string> = {}) {
    const server = await startStaticServer(folder, { headers });
    const tab = await browser.context.newPage();
    try {
      const { outcome, failed } = await consumerOutcome(tab, `${server.url}/${page}`);
      expect(outcome.error).toBeUndefined();
      expect(outcome).toMatchObject({ backend: 'wasm', modelFile: 'onnx/model_quantized.onnx', model: 'shipped:guard-use-lite', attack: 'block', benign: 'allow', typedErrors: true });
      expect(failed).toEqual([]);
    } finally {
      await tab.close();
      await server.close();
    }
  }

  it('is lean: library, types and the default model\'s int8 files; installs clean and small', () => {
    const { files, bytes } = project.tarball;
    expect(bytes).toBeLessThan(15 * MB);
    expect(files).toContain('dist/lib/index.js');
    expect(files).toContain('dist/types/index.d.ts');
    expect(files).toContain('dist/models/guard-use-lite/onnx/model_quantized.onnx');
    expect(files).toContain('custom-elements.json');
    expect(files.filter((f) => /^src\/|^dist\/demo\/|model_fp16|\/model\.onnx$|models\/train\//.test(f))).toEqual([]);
    expect(project.installOutput).not.toMatch(/warn|ERR/i);
    expect(folderBytes(join(project.dir, 'node_modules'))).toBeLessThan(60 * MB);
  });

  it('TypeScript: an app typechecks against the package\'s declarations (strict, skipLibCheck off)', () => {
    const tsc = spawnSync(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', project.dir], { encoding: 'utf8' });
    expect(tsc.stdout + tsc.stderr).toBe('');
    expect(tsc.status).toBe(0);
  });

  it('Vite production build: the worker, the runtime and the model come along', async () => {
    await build({ root: project.dir, configFile: false, logLevel: 'silent', build: { outDir: 'dist-vite' } });
    await screensIn(join(project.dir, 'dist-vite'));
  });

  it('the Vite build under the strict CSP the README documents (no data: or blob: fetches)', async () => {
    await screensIn(join(project.dir, 'dist-vite'), 'index.html', { 'content-security-policy': STRICT_CSP });
  });

  it('webpack 5 production build', async () => {
    const out = join(project.dir, 'dist-webpack');
    const stats = await webpackBuild(project, './app.js', out, 'webpack.html');
    expect(stats.hasErrors(), stats.toString('errors-only')).toBe(false);
    await screensIn(out);
  });

  it('no bundler: a static page with the README\'s import map, node_modules served as files', async () => {
    await screensIn(project.dir, 'importmap.html');
  });

  it('Vite dev server', async () => {
    const dev: ViteDevServer = await createServer({ root: project.dir, configFile: false, logLevel: 'silent', server: { port: 0, host: '127.0.0.1', hmr: false } });
    try {
      await dev.listen();
      const url = dev.resolvedUrls?.local[0];
      const { outcome, failed } = await consumerOutcome(await browser.context.newPage(), `${url}index.html`);
      expect(outcome).toMatchObject({ backend: 'wasm', attack: 'block', benign: 'allow' });
      expect(failed).toEqual([]);
    } finally {
      await dev.close();
    }
  });
});
