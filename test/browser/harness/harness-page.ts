import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, inject } from 'vitest';
import { launchChromium, type FreshBrowser } from './chromium.js';

/** Opens the dev-server harness page, which puts the library on `window.guardedChat`. */
export async function openHarness(context: BrowserContext, devUrl: string): Promise<Page> {
  const page = await context.newPage();
  page.on('pageerror', (error) => console.error('[page error]', error));
  await page.goto(`${devUrl}/test/browser/pages/harness.html`);
  await page.waitForFunction(() => document.body.dataset.ready === 'true');
  return page;
}

/** The fixture classifier, as the dev server and the static server both serve it. */
export const FIXTURE_MODEL_URL = '/test/fixtures/models/tiny-guard/';

/**
 * For a describe block: a fresh Chromium on the harness page before its tests, closed after.
 * `onReady` gets the page (and may prepare it, e.g. create a guard on it).
 */
export function useHarnessPage(onReady: (page: Page) => void | Promise<void>): void {
  let browser: FreshBrowser | undefined;
  beforeAll(async () => {
    browser = await launchChromium();
    await onReady(await openHarness(browser.context, inject('devUrl')));
  });
  afterAll(async () => {
    await browser?.close();
  });
}
