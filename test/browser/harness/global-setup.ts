import { execFileSync } from 'node:child_process';
import { createServer, type ViteDevServer } from 'vite';
import type { TestProject } from 'vitest/node';
import { startStaticServer, type StaticServer } from './static-server.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Vite dev server: serves `src/` as modules (test pages import `/src/index.ts`). */
    devUrl: string;
    /** Plain static server over the project root, after `npm run build`: the built demo at /dist/demo/. */
    staticUrl: string;
    /** The same root with COOP/COEP headers: a cross-origin isolated page. */
    isolatedUrl: string;
  }
}

const ROOT = new URL('../../../', import.meta.url).pathname;

/**
 * Builds the library and the demo once (the built output is what pages would ship), then
 * starts the servers the browser tests load pages from.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  // NODE_ENV=production: Vitest sets it to `test`, which would make Vite resolve the
  // `development` export condition (Lit's dev build) into the output the tests check.
  execFileSync('npm', ['run', '--silent', 'build'], { cwd: ROOT, stdio: 'inherit', env: { ...process.env, NODE_ENV: 'production' } });

  const dev: ViteDevServer = await createServer({
    root: ROOT,
    configFile: `${ROOT}vite.config.ts`,
    logLevel: 'warn',
    // A test page must not reload under the test, so no HMR client.
    server: { port: 0, strictPort: false, hmr: false, host: '127.0.0.1' },
  });
  await dev.listen();
  const devUrl = dev.resolvedUrls?.local[0]?.replace(/\/$/, '');
  if (!devUrl) throw new Error('the Vite dev server did not report a URL');

  const plain: StaticServer = await startStaticServer(ROOT);
  const isolated: StaticServer = await startStaticServer(ROOT, { isolated: true });
  project.provide('devUrl', devUrl);
  project.provide('staticUrl', plain.url);
  project.provide('isolatedUrl', isolated.url);

  return async () => {
    await Promise.all([dev.close(), plain.close(), isolated.close()]);
  };
}
