import type { Page, Request } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { launchChromium, type FreshBrowser } from './harness/chromium.js';
import { FIXTURE_MODEL_URL } from './harness/harness-page.js';
import { startOpenAiSseServer, type OpenAiSseServer } from './harness/openai-sse-server.js';

/** A marker no page, model or library file contains, so finding it anywhere means the prompt leaked. */
const MARKER = 'zebra-quokka-7731';
const EMAIL = 'jane.doe@example.com';
const PROMPT = `Remind me about the ${MARKER} meeting and write to ${EMAIL} about it.`;

/** One request the page (or its worker) made, as it left the browser. */
interface SeenRequest {
  url: string;
  method: string;
  headers: string;
  body: string;
  /** For requests to the chat endpoint: whether the page had its input verdict when the request left. */
  afterVerdict?: boolean;
}

/** Every form in which the prompt, or a part of it, could travel. */
const LEAK_FORMS = [PROMPT, MARKER, EMAIL, encodeURIComponent(PROMPT), encodeURIComponent(EMAIL), Buffer.from(MARKER).toString('base64')];
const leaks = (r: SeenRequest) => LEAK_FORMS.filter((form) => `${r.url}\n${r.headers}\n${r.body}`.includes(form));

describe('privacy: what a page with <guarded-chat> sends', () => {
  let browser: FreshBrowser;
  let page: Page;
  let server: OpenAiSseServer;
  const seen: SeenRequest[] = [];

  beforeAll(async () => {
    server = await startOpenAiSseServer();
    server.script = { pieces: ['Noted.'] };
    browser = await launchChromium();
    page = await browser.context.newPage();
    // Context-wide, so requests from the guard's worker are seen too (the model files prove it below).
    await browser.context.route('**', async (route, request: Request) => {
      const entry: SeenRequest = {
        url: request.url(),
        method: request.method(),
        headers: JSON.stringify(await request.allHeaders()),
        body: request.postDataBuffer()?.toString('utf8') ?? '',
      };
      if (request.url().startsWith(server.baseUrl) && request.method() === 'POST') {
        entry.afterVerdict = await page.evaluate(() => (window as unknown as { inputVerdicts?: number }).inputVerdicts ?? 0) > 0;
      }
      seen.push(entry);
      await route.continue();
    });
    await page.goto(`${inject('devUrl')}/test/browser/pages/harness.html`);
    await page.waitForFunction(() => document.body.dataset.ready === 'true');
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('loads the model with progress events that cross the shadow root, then guard-ready once', async () => {
    const recorded = await page.evaluate(
      async ({ url, endpoint }) => {
        // The chat sits inside another component's shadow root: composed events still reach the document.
        const host = document.createElement('div');
        document.body.append(host);
        const chat = document.createElement('guarded-chat');
        chat.setAttribute('model', url);
        chat.setAttribute('backend', 'wasm');
        chat.setAttribute('endpoint', endpoint);
        chat.apiKey = 'sk-privacy-test';
        const log: { type: string; loaded?: number; total?: number; phase?: string; backend?: string }[] = [];
        const w = window as unknown as { inputVerdicts: number };
        w.inputVerdicts = 0;
        document.addEventListener('guard-verdict', (e) => { if ((e as CustomEvent).detail.direction === 'input') w.inputVerdicts++; });
        document.addEventListener('guard-progress', (e) => {
          const p = (e as CustomEvent).detail;
          log.push({ type: 'guard-progress', loaded: p.overall.loaded, total: p.overall.total, phase: p.phase });
        });
        const ready = new Promise<void>((resolve) =>
          document.addEventListener('guard-ready', (e) => {
            log.push({ type: 'guard-ready', backend: (e as CustomEvent).detail.backend.name });
            resolve();
          }),
        );
        host.attachShadow({ mode: 'open' }).append(chat);
        await ready;
        await new Promise((r) => setTimeout(r, 200)); // a second guard-ready would arrive here
        return log;
      },
      { url: FIXTURE_MODEL_URL, endpoint: server.baseUrl },
    );
    const progress = recorded.filter((e) => e.type === 'guard-progress');
    expect(progress.length).toBeGreaterThan(1);
    const last = progress.at(-1)!;
    expect(last.total).toBeGreaterThan(1_000_000);
    expect(last.loaded).toBe(last.total);
    expect(progress.some((e) => e.phase === 'network')).toBe(true);
    expect(recorded.filter((e) => e.type === 'guard-ready')).toEqual([{ type: 'guard-ready', backend: 'wasm' }]);
    expect(recorded.at(-1)!.type).toBe('guard-ready');
    // The interception sees the worker's requests: the model's weights were fetched through it.
    expect(seen.some((r) => r.url.endsWith('tiny-guard/onnx/model_quantized.onnx'))).toBe(true);
  });

  it('sends the prompt nowhere but the chat endpoint, and there only screened (redacted) and after the verdict', async () => {
    const before = seen.length;
    const composer = page.locator('guarded-chat textarea');
    await composer.fill(PROMPT);
    await composer.press('Enter');
    await expect.poll(() => page.locator('guarded-chat li[part~="assistant"]').textContent()).toBe('Noted.');

    const toEndpoint = seen.filter((r) => r.url.startsWith(server.baseUrl) && r.method === 'POST');
    const elsewhere = seen.filter((r) => !r.url.startsWith(server.baseUrl));
    console.log(`[privacy] requests: ${seen.length} in all (${before} while loading the page and model), ${seen.length - before} after the prompt was typed, ${toEndpoint.length} to the chat endpoint`);
    expect(seen.length).toBeGreaterThan(5);
    for (const request of elsewhere) expect({ url: request.url, leaks: leaks(request) }).toEqual({ url: request.url, leaks: [] });

    expect(toEndpoint).toHaveLength(1);
    expect(toEndpoint[0]!.afterVerdict).toBe(true);
    // Redacted: the marker (not personal data) is there, the address is not, in any form.
    expect(toEndpoint[0]!.body).toContain(MARKER);
    expect(toEndpoint[0]!.body).toContain('[EMAIL]');
    const wire = `${toEndpoint[0]!.url}\n${toEndpoint[0]!.headers}\n${toEndpoint[0]!.body}`;
    expect(wire).not.toContain(EMAIL);
    expect(wire).not.toContain(encodeURIComponent(EMAIL));
    expect(server.received).toHaveLength(1);
  });
});
