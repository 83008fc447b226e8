import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { FIXTURE_MODEL_URL, useHarnessPage } from './harness/harness-page.js';

/** Mounts a <guard-status> for the fixture model; records the events it dispatches on window. */
async function mountStatus(page: Page): Promise<void> {
  await page.evaluate((url) => {
    const status = document.createElement('guard-status');
    status.setAttribute('model', url);
    status.setAttribute('backend', 'wasm');
    const events: { type: string; loaded?: number; total?: number; fromNetwork?: number; backend?: string }[] = [];
    (window as unknown as { statusEvents: typeof events }).statusEvents = events;
    for (const type of ['guard-progress', 'guard-ready', 'guard-error']) {
      status.addEventListener(type, (e) => {
        const d = (e as CustomEvent).detail;
        events.push({ type, loaded: d?.overall?.loaded, total: d?.overall?.total, fromNetwork: d?.cache?.fromNetwork?.length, backend: d?.backend?.name });
      });
    }
    document.body.append(status);
  }, FIXTURE_MODEL_URL);
}

type StatusEvent = { type: string; loaded?: number; total?: number; fromNetwork?: number; backend?: string };
const statusEvents = (page: Page) => page.evaluate(() => (window as unknown as { statusEvents: StatusEvent[] }).statusEvents);
const part = (page: Page, name: string) => page.locator(`guard-status [part="${name}"]`);

describe('<guard-status>', () => {
  let page: Page;
  /** Requests for the model's weights, from the page or its worker. */
  const modelRequests: string[] = [];
  useHarnessPage((opened) => {
    page = opened;
    page.context().on('request', (r) => { if (r.url().includes('/tiny-guard/onnx/')) modelRequests.push(r.url()); });
  });

  it('before anything loads: nothing cached, no backend yet, the prefetch button ready', async () => {
    await mountStatus(page);
    await expect.poll(() => part(page, 'cache').textContent()).toBe('Not stored on this device yet');
    expect(await part(page, 'state').textContent()).toBe('The safety model is not loaded yet.');
    expect(await part(page, 'backend').textContent()).toBe('Backend: chosen when the model loads');
    expect(await part(page, 'prefetch').isEnabled()).toBe(true);
  });

  it('the prefetch button downloads the model: progress reaches done, the backend and the stored files are shown', async () => {
    await part(page, 'prefetch').click();
    await expect.poll(() => part(page, 'state').textContent(), { timeout: 60_000 }).toBe('The safety model is ready (downloaded).');
    const events = await statusEvents(page);
    const progress = events.filter((e) => e.type === 'guard-progress');
    expect(progress.length).toBeGreaterThan(1);
    expect(progress.at(-1)!.total).toBeGreaterThan(1_000_000);
    expect(progress.at(-1)!.loaded).toBe(progress.at(-1)!.total);
    const ready = events.filter((e) => e.type === 'guard-ready');
    expect(ready).toHaveLength(1);
    expect(ready[0]!.backend).toBe('wasm');
    const bar = await part(page, 'progress').evaluate((el) => ({ value: (el as HTMLProgressElement).value, max: (el as HTMLProgressElement).max }));
    expect(bar.value).toBe(bar.max);
    expect(await part(page, 'backend').textContent()).toMatch(/^Backend: wasm: /);
    // Every file downloaded is now stored.
    await expect.poll(() => part(page, 'cache').textContent()).toMatch(new RegExp(`^Stored on this device: ${ready[0]!.fromNetwork} files, \\d+\\.\\d MB$`));
    expect(await part(page, 'prefetch').isDisabled()).toBe(true);
    // The weights were downloaded (and the listener sees the worker's requests).
    expect(modelRequests.length).toBeGreaterThan(0);
  });

  it('after a reload: shows the stored model before any load, then follows a <guarded-chat> that loads it from the cache', async () => {
    modelRequests.length = 0;
    await page.reload();
    await page.waitForFunction(() => document.body.dataset.ready === 'true');
    await mountStatus(page);
    await expect.poll(() => part(page, 'cache').textContent()).toMatch(/^Stored on this device: \d+ files/);
    expect(await part(page, 'state').textContent()).toBe('The safety model is not loaded yet.');

    // The chat loads the shared guard for the same model; the status follows it.
    await page.evaluate((url) => {
      const chat = document.createElement('guarded-chat');
      chat.setAttribute('model', url);
      chat.setAttribute('backend', 'wasm');
      document.body.append(chat);
    }, FIXTURE_MODEL_URL);
    await expect.poll(() => part(page, 'state').textContent(), { timeout: 60_000 }).toBe('The safety model is ready (from this device).');
    expect(await part(page, 'backend').textContent()).toMatch(/^Backend: wasm: /);
    expect(modelRequests).toEqual([]);
    // The load was the chat's, not the status's: the status dispatched nothing for it.
    expect(await statusEvents(page)).toEqual([]);
  });

  it('has no serious or critical axe-core violations (with a <guarded-chat> beside it)', async () => {
    await page.addScriptTag({ path: createRequire(import.meta.url).resolve('axe-core/axe.min.js') });
    const violations = await page.evaluate(async () => {
      const axe = (window as unknown as { axe: { run(context: Element): Promise<{ violations: { id: string; impact: string; nodes: unknown[] }[] }> } }).axe;
      const result = await axe.run(document.body);
      return result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id} (${v.impact}, ${v.nodes.length} nodes)`);
    });
    expect(violations).toEqual([]);
  });
});
