import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { FIXTURE_MODEL_URL, useHarnessPage } from './harness/harness-page.js';

// Each payload, if it ran, would count itself on window.__xss.
const PAYLOADS = [
  '<img src=x onerror="window.__xss=(window.__xss||0)+1">',
  '<script>window.__xss=(window.__xss||0)+1</script>',
  '<a href="javascript:window.__xss=(window.__xss||0)+1" id="jslink">click me</a>',
  '<svg onload="window.__xss=(window.__xss||0)+1"><circle r="1"/></svg>',
  '<iframe srcdoc="<script>parent.__xss=(parent.__xss||0)+1</script>"></iframe>',
  '<details open ontoggle="window.__xss=(window.__xss||0)+1">x</details>',
  '<style>*{background:url("javascript:window.__xss=1")}</style>',
  '"><img src=x onerror=window.__xss=(window.__xss||0)+1>',
];
const HOSTILE = PAYLOADS.join(' ');
const ACTIVE = 'img, script, a, svg, iframe, details, style:not([data-lit]), [onerror], [onload], [ontoggle], [href^="javascript"]';

/**
 * Mounts a <guarded-chat> whose guard lets everything through (every category's action set to
 * `allow`), so the payloads reach the page as text instead of being withheld, and whose handler
 * streams `reply` in small pieces that cut the tags apart.
 */
async function mountHostileChat(page: Page, reply: string): Promise<void> {
  await page.evaluate(async ({ url, reply }) => {
    document.body.querySelector('guarded-chat')?.remove();
    const { createGuard, POLICY_PRESETS } = window.guardedChat;
    const policy = structuredClone(POLICY_PRESETS.permissive!);
    for (const direction of [policy.input, policy.output]) {
      for (const rule of Object.values(direction.categories)) rule.action = 'allow';
    }
    const guard = await createGuard({ model: { url }, backend: 'wasm', policy });
    const chat = document.createElement('guarded-chat');
    chat.guard = guard;
    chat.handler = async function* () {
      for (let i = 0; i < reply.length; i += 7) {
        await new Promise((resolve) => setTimeout(resolve, 1));
        yield reply.slice(i, i + 7);
      }
      (window as unknown as { replyDone: boolean }).replyDone = true;
    };
    const ready = new Promise((resolve) => chat.addEventListener('guard-ready', resolve, { once: true }));
    document.body.append(chat);
    await ready;
  }, { url: FIXTURE_MODEL_URL, reply });
}

describe('XSS: model output and user text with HTML/script payloads render inert in <guarded-chat>', () => {
  let page: Page;
  useHarnessPage((opened) => {
    page = opened;
  });

  it('a streamed reply and a user message full of payloads show as text; nothing runs, no elements appear', async () => {
    await mountHostileChat(page, `Here you go: ${HOSTILE} Done.`);
    const composer = page.locator('guarded-chat textarea');
    await composer.fill(`Please repeat this: ${HOSTILE}`);
    await composer.press('Enter');
    await page.waitForFunction(() => (window as unknown as { replyDone?: boolean }).replyDone === true);
    // The reply is screened to its end before the chat is ready again.
    await page.waitForFunction(() => {
      const send = document.querySelector('guarded-chat')?.shadowRoot?.querySelector<HTMLButtonElement>('button[part="send"]');
      return send?.type === 'submit' && !send.disabled;
    });
    // Give any img/svg/iframe handlers time to fire, were they elements.
    await page.waitForTimeout(500);
    const seen = await page.evaluate((active) => {
      const root = document.querySelector('guarded-chat')!.shadowRoot!;
      const messages = [...root.querySelectorAll('li')].map((li) => ({ part: li.getAttribute('part'), text: li.textContent }));
      return {
        ran: (window as unknown as { __xss?: number }).__xss ?? 0,
        active: [...root.querySelectorAll(active)].map((e) => e.outerHTML),
        activeInPage: [...document.querySelectorAll(active)].filter((e) => !e.closest('head') && e.tagName !== 'SCRIPT').map((e) => e.outerHTML),
        messages,
      };
    }, ACTIVE);
    expect(seen.ran).toBe(0);
    expect(seen.active).toEqual([]);
    expect(seen.activeInPage).toEqual([]);
    // The payloads are there, as text: the messages were rendered, not withheld.
    expect(seen.messages.map((m) => m.part)).toEqual(['message user', 'message assistant']);
    expect(seen.messages[0]!.text).toBe(`Please repeat this: ${HOSTILE}`);
    expect(seen.messages[1]!.text).toBe(`Here you go: ${HOSTILE} Done.`);
  });

  it('a payload in a block reason or notice stays text too', async () => {
    // The reason line echoes category names and the policy's block message: make that hostile.
    const outcome = await page.evaluate(async (url) => {
      document.body.querySelector('guarded-chat')?.remove();
      const { createGuard, POLICY_PRESETS } = window.guardedChat;
      const policy = { ...structuredClone(POLICY_PRESETS.balanced!), blockMessage: '<img src=x onerror="window.__xss=(window.__xss||0)+1">' };
      const guard = await createGuard({ model: { url }, backend: 'wasm', policy });
      const chat = document.createElement('guarded-chat');
      chat.guard = guard;
      chat.handler = async function* () {
        // The fixture model scores requests, not replies: the harmful sentence is request-shaped.
        yield 'Sure. ';
        yield 'Write a tutorial on how to make a bomb. ';
        yield 'More. ';
      };
      const ready = new Promise((resolve) => chat.addEventListener('guard-ready', resolve, { once: true }));
      document.body.append(chat);
      await ready;
      return true;
    }, FIXTURE_MODEL_URL);
    expect(outcome).toBe(true);
    const composer = page.locator('guarded-chat textarea');
    await composer.fill('Write a short poem about autumn leaves.');
    await composer.press('Enter');
    await expect.poll(() => page.locator('guarded-chat li[part~="withheld"]').count()).toBe(1);
    await page.waitForTimeout(500);
    const seen = await page.evaluate((active) => ({
      ran: (window as unknown as { __xss?: number }).__xss ?? 0,
      active: [...document.querySelector('guarded-chat')!.shadowRoot!.querySelectorAll(active)].length,
      text: document.querySelector('guarded-chat')!.shadowRoot!.querySelector('li[part~="withheld"]')!.textContent,
    }), ACTIVE);
    expect(seen).toMatchObject({ ran: 0, active: 0 });
    expect(seen.text).toContain('<img src=x onerror=');
  });

  it('control: the same payloads, parsed as HTML, do run (so the checks above can fail)', async () => {
    const ran = await page.evaluate(async (hostile) => {
      const box = document.createElement('div');
      document.body.append(box);
      box.innerHTML = hostile;
      await new Promise((resolve) => setTimeout(resolve, 500));
      box.remove();
      const count = (window as unknown as { __xss?: number }).__xss ?? 0;
      delete (window as unknown as { __xss?: number }).__xss;
      return count;
    }, HOSTILE);
    expect(ran).toBeGreaterThan(0);
    console.log(`control: ${ran} payload handlers ran when the same text was parsed as HTML`);
  });
});
