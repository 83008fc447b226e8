/**
 * A returning visitor of the built demo, as `npm run demo` serves it (vite preview; hashed assets
 * immutable, the page cross-origin isolated, see vite.config.ts): one first visit, then six
 * reloads, each after the visitor stayed GAP ms (default 6000) on the page. Prints, per load, the
 * time from navigation start to the guard ready (`document.body.dataset.backend`) and where the
 * worker spent its load (`guard.loadTimings`).
 *   npx vite build && npx tsx test/bench/demo-reload.ts        (GAP=1500 for quick reloads;
 *   DEMO_ISOLATED=0 for a page that is not cross-origin isolated: WASM on one thread)
 */
import { spawn } from 'node:child_process';
import type { Page } from 'playwright-core';
import { launchChromium } from '../browser/harness/chromium.js';
import type { LoadTimings } from '../../src/types.js';

const PORT = 4391;
const GAP = Number(process.env.GAP ?? 6000);
/** NEW_TAB=1: each visit after the first closes the tab and opens the page in a new one. */
const NEW_TAB = process.env.NEW_TAB === '1';
const url = `http://127.0.0.1:${PORT}/?backend=wasm`;

interface Load { readyMs: number; isolated: boolean; phases: LoadTimings | undefined }

async function loaded(page: Page): Promise<Load> {
  await page.waitForFunction(() => document.body.dataset.backend || document.body.dataset.error, undefined, { timeout: 60_000 });
  return page.evaluate(() => ({
    readyMs: Math.round(performance.now()),
    isolated: crossOriginIsolated,
    phases: (document.querySelector('guarded-chat') as unknown as { activeGuard?: { loadTimings: LoadTimings } } | null)?.activeGuard?.loadTimings,
  }));
}

// A server left on the port would answer for ours, with other files and headers.
if (await fetch(url).then(() => true, () => false)) throw new Error(`port ${PORT} is taken: stop what serves ${url}`);
// vite's own script under this Node, not `npx vite`: killing npx would leave the server running.
const server = spawn(process.execPath, ['node_modules/vite/bin/vite.js', 'preview', '--host', '127.0.0.1', '--port', String(PORT), '--strictPort'], { stdio: 'ignore' });
try {
  for (let i = 0; i < 60; i++) {
    try { await fetch(url); break; } catch { await new Promise((r) => setTimeout(r, 500)); }
  }
  const browser = await launchChromium();
  try {
    let page = await browser.context.newPage();
    await page.goto(url);
    const loads: Load[] = [await loaded(page)];
    for (let i = 0; i < 6; i++) {
      await page.waitForTimeout(GAP);
      if (NEW_TAB) {
        await page.close();
        page = await browser.context.newPage();
        await page.goto(url);
      } else {
        await page.reload();
      }
      loads.push(await loaded(page));
    }
    const row = (name: string, l: Load) => {
      const p = l.phases;
      const phases = p ? `store ${p.storeMs.toFixed(0)}, text ${p.textFilesMs.toFixed(0)}, weights ${p.weightsMs.toFixed(0)}, runtime+session ${p.sessionMs.toFixed(0)}, warm-up ${p.warmUpMs.toFixed(0)}, worker total ${p.totalMs.toFixed(0)}` : '';
      console.log(`${name.padEnd(12)} ready ${String(l.readyMs).padStart(5)} ms after navigation start   (${phases})`);
    };
    row('first visit', loads[0]!);
    loads.slice(1).forEach((l, i) => row(`reload ${i + 1}`, l));
    const ready = loads.slice(1).map((l) => l.readyMs).sort((a, b) => a - b);
    const total = loads.slice(1).map((l) => l.phases?.totalMs ?? NaN).sort((a, b) => a - b);
    console.log(`${loads[0]!.isolated ? 'cross-origin isolated' : 'not isolated (one thread)'}; reloads after ${GAP} ms on the page: median ready ${(ready[2]! + ready[3]!) / 2} ms, median worker load ${((total[2]! + total[3]!) / 2).toFixed(0)} ms`);
  } finally {
    await browser.close();
  }
} finally {
  server.kill();
}
