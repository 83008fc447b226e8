import type { Page } from 'playwright-core';
import { launchChromium, type FreshBrowser } from './chromium.js';
import { startStaticServer, type StaticServer } from './static-server.js';

/** A Chromium page running the built library (dist/lib), served plainly from the project root. */
export interface BuiltLibraryPage {
  page: Page;
  server: StaticServer;
  close(): Promise<void>;
}

/**
 * Opens `test/browser/pages/consumer.html`, which imports `dist/lib/index.js` the way a page
 * using the package would: the same code path as production. For scripts (bench, eval).
 */
export async function openBuiltLibraryPage(root: string, options: { isolated?: boolean; cacheControl?: string } = {}): Promise<BuiltLibraryPage> {
  const server = await startStaticServer(root, options);
  let browser: FreshBrowser | undefined;
  try {
    browser = await launchChromium();
    // tsx (esbuild, keepNames) wraps functions in `__name(...)`, which the page lacks.
    await browser.context.addInitScript('globalThis.__name = (fn) => fn;');
    const page = await browser.context.newPage();
    await page.goto(`${server.url}/test/browser/pages/consumer.html`);
    await page.waitForFunction(() => document.body.dataset.ready === 'true');
    const opened = browser;
    return {
      page,
      server,
      async close() {
        await opened.close();
        await server.close();
      },
    };
  } catch (error) {
    await browser?.close();
    await server.close();
    throw error;
  }
}
