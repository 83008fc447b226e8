import { cpSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, type FreshBrowser } from './harness/chromium.js';
import { consumerOutcome, installPackedPackage, installTransformers, webpackBuild, type ConsumerProject } from './harness/consumer-app.js';
import { startLocalHub } from './harness/hub-folder.js';
import { startStaticServer } from './harness/static-server.js';

const FIXTURE = new URL('./consumer-judge/', import.meta.url).pathname;
const JUDGE_FOLDER = new URL('../fixtures/hub/acme/tiny-judge/resolve/main/', import.meta.url).pathname;

/**
 * The judge as an app gets it: the packed package and `@huggingface/transformers` (its
 * optional peer, with its own onnxruntime-web) installed into a fresh project, the page built
 * by the app's bundler, served plainly, judging through a local stand-in for the hub.
 */
describe('the packed judge entry in a consumer app', () => {
  let project: ConsumerProject;
  let browser: FreshBrowser;
  let hub: Awaited<ReturnType<typeof startLocalHub>>;

  beforeAll(async () => {
    project = installPackedPackage();
    installTransformers(project);
    cpSync(FIXTURE, project.dir, { recursive: true });
    browser = await launchChromium();
    hub = await startLocalHub({ 'acme/tiny-judge': JUDGE_FOLDER });
  }, 300_000);
  afterAll(async () => {
    await browser?.close();
    await hub?.dispose();
    if (project) rmSync(project.dir, { recursive: true, force: true });
  });

  async function judgesIn(folder: string) {
    const server = await startStaticServer(folder);
    const tab = await browser.context.newPage();
    const origins = new Set<string>();
    tab.context().on('request', (request) => origins.add(new URL(request.url()).origin));
    try {
      const { outcome, failed } = await consumerOutcome(tab, `${server.url}/index.html?hub=${encodeURIComponent(hub.url)}`);
      expect(outcome).toEqual({ judge: 'ready', backend: 'wasm fp32: requested', unsafe: 'unsafe\nS1', unsafeAction: 'block', safe: 'safe' });
      expect(failed).toEqual([]);
      // transformers.js would fetch onnxruntime-web from a CDN by default: the page's server and the hub only.
      expect([...origins].filter((o) => o !== server.url && o !== hub.url)).toEqual([]);
    } finally {
      await tab.close();
      await server.close();
    }
  }

  it('Vite production build: the judge worker, transformers.js and its WebGPU-capable runtime come along', async () => {
    const out = join(project.dir, 'dist-vite');
    await build({ root: project.dir, configFile: false, logLevel: 'silent', build: { outDir: 'dist-vite' } });
    const assets = readdirSync(join(out, 'assets'));
    expect(assets.some((f) => /^judge\.worker-.*\.js$/.test(f))).toBe(true);
    expect(assets.some((f) => /^ort-wasm-simd-threaded\.asyncify-.*\.wasm$/.test(f))).toBe(true);
    await judgesIn(out);
  });

  it('webpack 5 production build', async () => {
    const out = join(project.dir, 'dist-webpack');
    const stats = await webpackBuild(project, './judge-app.js', out, 'webpack.html');
    expect(stats.hasErrors(), stats.toString('errors-only')).toBe(false);
    await judgesIn(out);
  });
});
