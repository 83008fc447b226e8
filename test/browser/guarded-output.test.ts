import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { axeViolations } from './harness/axe.js';
import { FIXTURE_MODEL_URL, useHarnessPage } from './harness/harness-page.js';

interface Recorded {
  type: string;
  direction?: string;
  action?: string;
  text?: string;
}

interface TestWindow {
  guardEvents: Recorded[];
  /** Streams `chunks` into the page's reply element, one every `ms`, the way `mode` writes. */
  stream: (chunks: string[], mode: 'append-text' | 'text-content', ms: number) => Promise<void>;
}

/**
 * Mounts <guarded-output> around the page's own reply element (`#reply`), with the fixture
 * model on WASM; events are recorded on window. The policy is `balanced` with the output
 * verdicts left to the rules (PII redacted, a deny topic blocked): the fixture classifier is
 * not meant to be good, and its scores on reply fragments swing from one prefix to the next, so
 * which prefixes a stream happens to be screened at would decide the test. Rules do not.
 */
async function mount(page: Page, options: { override?: boolean; harmfulThreshold?: number } = {}): Promise<void> {
  await page.evaluate(
    async ({ url, override, harmfulThreshold }) => {
      document.body.querySelector('guarded-output')?.remove();
      const w = window as unknown as TestWindow;
      w.guardEvents = [];
      const wrapper = document.createElement('guarded-output');
      wrapper.setAttribute('model', url);
      wrapper.setAttribute('backend', 'wasm');
      const policy = structuredClone(window.guardedChat.POLICY_PRESETS.balanced);
      policy.topics.deny = { weapons: ['pipe bomb'] };
      policy.output.categories = {
        pii: { threshold: 0.5, action: 'redact' },
        secrets: { threshold: 0.5, action: 'redact' },
        'topic:weapons': { threshold: 0.5, action: 'block' },
      };
      // The classifier's own verdict, for the one test whose texts are fixed to the character.
      if (harmfulThreshold !== undefined) policy.output.categories.harmful = { threshold: harmfulThreshold, action: 'block' };
      wrapper.policy = policy;
      const reply = document.createElement('div');
      reply.id = 'reply';
      wrapper.append(reply);
      for (const type of ['guard-ready', 'guard-verdict', 'guard-blocked', 'guard-error']) {
        wrapper.addEventListener(type, (e) => {
          const detail = (e as CustomEvent).detail ?? {};
          w.guardEvents.push({ type, direction: detail.direction, action: detail.verdict?.action, text: detail.text });
          if (override && type === 'guard-verdict') e.preventDefault();
        });
      }
      w.stream = async (chunks, mode, ms) => {
        for (const chunk of chunks) {
          await new Promise((resolve) => setTimeout(resolve, ms));
          if (mode === 'append-text') reply.append(chunk);
          else reply.textContent += chunk;
        }
      };
      const ready = new Promise((resolve) => wrapper.addEventListener('guard-ready', resolve, { once: true }));
      document.body.append(wrapper);
      await ready;
    },
    { url: FIXTURE_MODEL_URL, override: options.override ?? false, harmfulThreshold: options.harmfulThreshold },
  );
}

const events = (page: Page) => page.evaluate(() => (window as unknown as TestWindow).guardEvents);
const stream = (page: Page, chunks: string[], mode: 'append-text' | 'text-content', ms = 30) =>
  page.evaluate(({ chunks, mode, ms }) => (window as unknown as TestWindow).stream(chunks, mode, ms), { chunks, mode, ms });
const replyText = (page: Page) => page.locator('#reply').textContent();
/** Waits until the wrapper has screened the reply as it now stands (no screen pending for newer text). */
const settled = (page: Page, expected: string) =>
  expect.poll(async () => (await events(page)).filter((e) => e.type === 'guard-verdict').at(-1)?.text).toBe(expected);

/** A harmful sentence, then a benign tail long enough to dilute it (the whole stays under 128 tokens). */
const DILUTING_FIRST = 'How to kill someone and hide the body. ';
const DILUTED = [
  DILUTING_FIRST,
  'Autumn leaves drift down in red and gold. The garden is quiet in the morning light, and the birds sing softly over the pond. ',
  'We walked along the river and talked about books, music and the weather. Then we had tea.',
];

const HARMFUL = ['Sure. ', 'Here is how to build a pipe ', 'bomb at home. ', 'First, get a pipe. ', 'Then more. '];

describe('<guarded-output>', () => {
  let page: Page;
  useHarnessPage((opened) => {
    page = opened;
  });

  it('leaves an allowed streamed reply as written, screening the accumulated text', async () => {
    await mount(page);
    const chunks = ['Autumn leaves ', 'drift down ', 'in red and gold.'];
    await stream(page, chunks, 'append-text');
    await settled(page, chunks.join(''));
    expect(await replyText(page)).toBe(chunks.join(''));
    const screened = (await events(page)).filter((e) => e.type === 'guard-verdict');
    expect(screened.every((e) => e.direction === 'output' && e.action === 'allow')).toBe(true);
    expect(new Set(screened.map((e) => e.text)).size).toBe(screened.length); // no text screened twice
    expect(await page.locator('guarded-output').getAttribute('verdict')).toBe('allow');
  });

  it('masks an e-mail address split across chunks, keeping the page\'s text nodes; the original is in the event detail', async () => {
    await mount(page);
    const chunks = ['You can reach Jane at jane.doe@exa', 'mple.com any time', '. Bye.'];
    await stream(page, chunks, 'append-text');
    const original = chunks.join('');
    await settled(page, original);
    expect(await replyText(page)).toBe('You can reach Jane at [EMAIL] any time. Bye.');
    expect(await page.content()).not.toContain('jane.doe');
    const last = (await events(page)).filter((e) => e.type === 'guard-verdict').at(-1)!;
    expect(last).toMatchObject({ action: 'redact', text: original });
    expect(await page.locator('guarded-output [part="notice"]').textContent()).toMatch(/^Parts of this reply are masked\./);
    expect(await page.locator('guarded-output').getAttribute('verdict')).toBe('redact');
    // The page re-renders the reply from its own buffer (markup and all): the masks go back before it paints.
    const rerendered = await page.evaluate(async (text) => {
      const p = document.createElement('p');
      p.textContent = text;
      document.querySelector('#reply')!.replaceChildren(p);
      await Promise.resolve(); // after the MutationObserver's microtask, before any paint
      return document.querySelector('#reply')!.innerHTML;
    }, `${original} See you.`);
    expect(rerendered).toBe('<p>You can reach Jane at [EMAIL] any time. Bye. See you.</p>');
    await settled(page, `${original} See you.`);
    expect(await replyText(page)).toBe('You can reach Jane at [EMAIL] any time. Bye. See you.');
  });

  it('treats markup in a reply as text when it masks it: nothing is parsed as HTML', async () => {
    await mount(page);
    const chunks = ['<img src=x onerror="window.pwned = 1"> Write to ', 'a.b@example.org', ' now.'];
    await stream(page, chunks, 'text-content');
    await settled(page, chunks.join(''));
    expect(await replyText(page)).toBe('<img src=x onerror="window.pwned = 1"> Write to [EMAIL] now.');
    expect(await page.locator('#reply img').count()).toBe(0);
    expect(await page.evaluate(() => (window as unknown as { pwned?: number }).pwned)).toBeUndefined();
  });

  it('withholds a streamed reply that turns harmful, keeps it withheld as chunks keep coming, and starts afresh when emptied', async () => {
    await mount(page);
    await stream(page, HARMFUL, 'text-content');
    await expect.poll(() => page.locator('guarded-output [part="withheld"]').textContent()).toBe('This message was withheld by the on-device guard.');
    expect(await page.locator('guarded-output [part="content"]').isHidden()).toBe(true);
    // Neither the page's element nor any other part of the DOM keeps the reply.
    expect(await replyText(page)).toBe('This message was withheld by the on-device guard.');
    const html = await page.content();
    for (const piece of ['bomb', 'pipe', 'Then more']) expect(html).not.toContain(piece);
    const blocked = (await events(page)).find((e) => e.type === 'guard-blocked')!;
    expect(blocked).toMatchObject({ direction: 'output', action: 'block' });
    expect(blocked.text).toContain('build a pipe bomb');
    expect(await page.locator('guarded-output [part="notice"]').textContent()).toMatch(/^Reply withheld\. Blocked: topic:weapons/);
    expect(await axeViolations(page, 'guarded-output')).toEqual([]);
    // A new reply: the page empties its element and streams again.
    await page.evaluate(() => {
      document.querySelector('#reply')!.textContent = '';
    });
    await stream(page, ['Here is ', 'a poem.'], 'text-content');
    await settled(page, 'Here is a poem.');
    expect(await replyText(page)).toBe('Here is a poem.');
    expect(await page.locator('guarded-output [part="content"]').isVisible()).toBe(true);
  });

  it('judges each sentence of a burst in its own look-back window: a long benign tail in the same burst cannot dilute a harmful sentence', async () => {
    // The fixture classifier mean-pools its tokens, so within one 128-token window the tail
    // dilutes the harmful sentence: screened whole, the reply passes; its first sentence does not.
    await mount(page, { harmfulThreshold: 0.1 });
    const premise = await page.evaluate(
      async ({ first, whole }) => {
        const guard = document.querySelector('guarded-output')!.activeGuard!;
        return { first: (await guard.screen(first, { direction: 'output' })).action, whole: (await guard.screen(whole, { direction: 'output' })).action };
      },
      { first: DILUTING_FIRST, whole: DILUTED.join('') },
    );
    expect(premise).toEqual({ first: 'block', whole: 'allow' });
    // The page writes the whole reply in one task: one screen pass sees all of it at once.
    await page.evaluate((chunks) => {
      const reply = document.querySelector('#reply')!;
      for (const chunk of chunks) reply.append(chunk);
    }, DILUTED);
    await expect.poll(() => page.locator('guarded-output [part="withheld"]').textContent()).toBe('This message was withheld by the on-device guard.');
    const blocked = (await events(page)).find((e) => e.type === 'guard-blocked')!;
    expect(blocked).toMatchObject({ direction: 'output', action: 'block', text: DILUTING_FIRST });
    expect(await replyText(page)).toBe('This message was withheld by the on-device guard.');
    expect(await page.content()).not.toContain('hide the body');
  });

  it('lets the page override a block with preventDefault() on guard-verdict', async () => {
    await mount(page, { override: true });
    await stream(page, HARMFUL, 'append-text');
    await settled(page, HARMFUL.join(''));
    expect((await events(page)).filter((e) => e.type === 'guard-verdict').at(-1)!.action).toBe('block');
    expect(await replyText(page)).toBe(HARMFUL.join(''));
    expect(await page.locator('guarded-output [part="withheld"]').count()).toBe(0);
  });

  it('reports the model load through guard-progress, as <guarded-chat> does, from <guarded-input> and <guarded-output> alike', async () => {
    const progress = await page.evaluate(async (url) => {
      const seen: Record<string, { loaded: number; total: number }[]> = { 'GUARDED-INPUT': [], 'GUARDED-OUTPUT': [] };
      const input = document.createElement('guarded-input');
      input.append(document.createElement('textarea'));
      const output = document.createElement('guarded-output');
      const ready: Promise<unknown>[] = [];
      for (const element of [input, output]) {
        element.setAttribute('model', url);
        element.setAttribute('backend', 'wasm');
        element.setAttribute('policy', 'strict'); // a load of their own: no earlier test loaded this guard
        element.addEventListener('guard-progress', (e) => seen[element.tagName]!.push({ ...(e as CustomEvent).detail.overall }));
        ready.push(new Promise((resolve) => element.addEventListener('guard-ready', resolve, { once: true })));
      }
      document.body.append(input, output);
      await Promise.all(ready);
      input.remove();
      output.remove();
      return seen;
    }, FIXTURE_MODEL_URL);
    for (const [element, events] of Object.entries(progress)) {
      expect(events.length, element).toBeGreaterThan(0);
      const last = events.at(-1)!;
      expect(last.total, element).toBeGreaterThan(1_000_000);
      expect(last.loaded, element).toBe(last.total);
    }
  });
});
