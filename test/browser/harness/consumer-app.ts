import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import webpack from 'webpack';

const ROOT = new URL('../../../', import.meta.url).pathname;
const FIXTURE = new URL('../consumer/', import.meta.url).pathname;

/** A temp project with the packed package installed, the way an app installs it. */
export interface ConsumerProject {
  dir: string;
  tarball: { file: string; bytes: number; files: string[] };
  /** What `npm install` printed on stderr. */
  installOutput: string;
}

/** Bytes under a folder, links not followed. */
export function folderBytes(dir: string): number {
  let total = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) total += folderBytes(path);
    else if (entry.isFile()) total += statSync(path).size;
  }
  return total;
}

/**
 * `npm pack` of the built package, then a fresh project that installs the tarball. npm may
 * read the registry's metadata for lit, comlink and idb (the local cache answers when it has
 * them: `--prefer-offline`); nothing else reaches the network.
 */
export function installPackedPackage(): ConsumerProject {
  const dir = mkdtempSync(join(tmpdir(), 'guarded-chat-consumer-'));
  // The suite's global setup has just built the package: no `prepack` build again (its output would also mix into the JSON).
  const packed = JSON.parse(execFileSync('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', dir], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }));
  const file = join(dir, packed[0].filename as string);
  writeFileSync(join(dir, 'package.json'), `${JSON.stringify({ name: 'consumer-app', private: true, type: 'module' }, null, 2)}\n`);
  const install = spawnSync('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--no-package-lock', file], { cwd: dir, encoding: 'utf8' });
  if (install.status !== 0) throw new Error(`npm install of the packed package failed:\n${install.stderr}`);
  cpSync(FIXTURE, dir, { recursive: true });
  const files = (packed[0].files as { path: string }[]).map((f) => f.path);
  return { dir, tarball: { file, bytes: statSync(file).size, files }, installOutput: install.stderr };
}

/**
 * Adds `@huggingface/transformers` to a consumer project, as a page that wants the judge
 * (`guarded-chat/judge`, whose optional peer dependency it is) installs it. onnxruntime-node's
 * install script would download binaries from a host this sandbox cannot reach; the app never
 * runs it (transformers.js in a browser uses onnxruntime-web), so it is skipped here.
 */
export function installTransformers(project: ConsumerProject): void {
  const version = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).peerDependencies['@huggingface/transformers'] as string;
  const install = spawnSync('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--no-package-lock', `@huggingface/transformers@${version}`], {
    cwd: project.dir, encoding: 'utf8', env: { ...process.env, npm_config_onnxruntime_node_install: 'skip' },
  });
  if (install.status !== 0) throw new Error(`npm install @huggingface/transformers failed:\n${install.stderr}`);
}

/**
 * A webpack 5 production build of the consumer project's `entry` into `out`, with no
 * configuration of ours beyond the entry, and `page` copied in as its index.html.
 */
export async function webpackBuild(project: ConsumerProject, entry: string, out: string, page: string): Promise<webpack.Stats> {
  const stats = await new Promise<webpack.Stats>((resolve, reject) => {
    const compiler = webpack({
      mode: 'production',
      context: project.dir,
      entry,
      output: { path: out, filename: 'main.js', clean: true },
      performance: { hints: false },
    });
    compiler.run((error, result) => compiler.close(() => (error || !result ? reject(error) : resolve(result))));
  });
  if (!stats.hasErrors()) cpSync(join(project.dir, page), join(out, 'index.html'));
  return stats;
}

/** What the consumer page's script reported (see test/browser/consumer/app.js). */
export interface ConsumerOutcome {
  error?: string;
  backend?: string;
  modelFile?: string;
  model?: string;
  attack?: string;
  benign?: string;
  typedErrors?: boolean;
}

/** Opens a consumer page and waits for its outcome, recording every failed request on the way. */
export async function consumerOutcome(page: Page, url: string): Promise<{ outcome: ConsumerOutcome; failed: string[] }> {
  const failed: string[] = [];
  page.on('requestfailed', (request) => {
    // Chromium reports some small fetches from a worker, read to the end through a stream
    // reader, as ERR_ABORTED after their body arrived (the guard then verifies each file's
    // SHA-256, so a file that did not arrive whole fails the load, and the outcome shows it).
    const reason = request.failure()?.errorText ?? '';
    if (reason !== 'net::ERR_ABORTED') failed.push(`${request.url()} (${reason})`);
  });
  page.on('response', (response) => {
    // Browsers ask for a favicon on their own; the app has none.
    if (response.status() >= 400 && !response.url().endsWith('/favicon.ico')) failed.push(`${response.url()} (HTTP ${response.status()})`);
  });
  page.on('pageerror', (error) => failed.push(`page error: ${error.message}`));
  await page.goto(url);
  await page.waitForFunction(() => (window as unknown as { outcome?: unknown }).outcome, undefined, { timeout: 90_000 });
  const outcome = await page.evaluate(() => (window as unknown as { outcome: ConsumerOutcome }).outcome);
  return { outcome, failed };
}
