import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';

/** Debian's Firefox ESR; override with FIREFOX_PATH. */
export const FIREFOX_PATH = process.env.FIREFOX_PATH ?? '/usr/bin/firefox-esr';

/** A Firefox with a fresh profile, driven over WebDriver BiDi; `close()` removes the profile. */
export interface FreshFirefox {
  browser: Browser;
  close(): Promise<void>;
}

export async function launchFirefox(): Promise<FreshFirefox> {
  if (!existsSync(FIREFOX_PATH)) {
    throw new Error(`Firefox not found at ${FIREFOX_PATH}: install Debian's firefox-esr (apt-get install firefox-esr) or set FIREFOX_PATH`);
  }
  const profile = await mkdtemp(join(tmpdir(), 'guarded-chat-firefox-'));
  const browser = await puppeteer.launch({
    browser: 'firefox',
    executablePath: FIREFOX_PATH,
    headless: true,
    userDataDir: profile,
    // No traffic of its own to hosts the closed network refuses (updates, telemetry, safe browsing).
    extraPrefsFirefox: {
      'app.update.enabled': false,
      'browser.safebrowsing.malware.enabled': false,
      'browser.safebrowsing.phishing.enabled': false,
      'datareporting.policy.dataSubmissionEnabled': false,
      'network.captive-portal-service.enabled': false,
      'network.connectivity-service.enabled': false,
    },
  });
  return {
    browser,
    async close() {
      await browser.close();
      await rm(profile, { recursive: true, force: true });
    },
  };
}

/** Opens the dev-server harness page (the library on `window.guardedChat`). */
export async function openFirefoxHarness(browser: Browser, devUrl: string): Promise<Page> {
  const page = await browser.newPage();
  page.on('pageerror', (error) => console.error('[firefox page error]', error));
  await page.goto(`${devUrl}/test/browser/pages/harness.html`);
  await page.waitForFunction(() => document.body.dataset.ready === 'true', { timeout: 60_000 });
  return page;
}
