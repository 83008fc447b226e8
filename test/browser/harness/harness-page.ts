import type { BrowserContext, Page } from 'playwright-core';

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
