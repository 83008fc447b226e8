import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { launchChromium, type FreshBrowser } from './harness/chromium.js';
import { FIXTURE_MODEL_URL, openHarness } from './harness/harness-page.js';
import { startLocalHub } from './harness/hub-folder.js';

// The tiny judge (test/fixtures/models/tiny-judge/): a real Llama-architecture decoder trained to
// answer in Llama Guard's format, "unsafe\nS1" for texts with "zorblax", "unsafe\nS10,S12" for
// "quibbet", else "safe". It knows nothing about safety; it makes the whole path real.
const JUDGE_FOLDER = new URL('../fixtures/models/tiny-judge/', import.meta.url).pathname;
const HUB_ID = 'acme/tiny-judge';

type Guard = import('../../src/guard.js').Guard;
type Verdict = import('../../src/policy/verdict.js').Verdict;

/** A balanced policy whose llm review judges every text (band [0, 1)). */
function reviewPolicy(page: Page, hubUrl: string, review: Record<string, unknown> = {}) {
  return page.evaluate(({ hubUrl, review }) => ({
    ...structuredClone(window.guardedChat.POLICY_PRESETS.balanced),
    secondReview: { kind: 'llm', model: { hub: 'acme/tiny-judge', host: hubUrl }, family: 'llama-guard', dtype: 'fp32', device: 'wasm', band: [0, 1], ...review },
  }), { hubUrl, review });
}

describe('second review by a guard LLM (guarded-chat/judge)', () => {
  let browser: FreshBrowser;
  let page: Page;
  let hub: Awaited<ReturnType<typeof startLocalHub>>;
  const outside: string[] = [];

  beforeAll(async () => {
    hub = await startLocalHub({ [HUB_ID]: JUDGE_FOLDER });
    browser = await launchChromium();
    // Every request the page and its workers make: none may go anywhere but the two local servers.
    browser.context.on('request', (request) => {
      const origin = new URL(request.url()).origin;
      if (![new URL(inject('devUrl')).origin, hub.url].includes(origin) && !request.url().startsWith('blob:') && !request.url().startsWith('data:')) outside.push(request.url());
    });
    page = await openHarness(browser.context, inject('devUrl'));
  });

  afterAll(async () => {
    await browser?.close();
    await hub?.dispose();
  });

  it('loads the model through transformers.js from the store, and its answers decide the categories it covers', async () => {
    const policy = await reviewPolicy(page, hub.url);
    const outcome = await page.evaluate(async ({ url, policy }) => {
      const { createGuard } = window.guardedChat;
      const guard = await createGuard({ model: { url }, backend: 'wasm', judge: window.guardedChatJudge.judge, policy: policy as never });
      (window as unknown as { guard: Guard }).guard = guard;
      const status = await guard.judgeSettled();
      const verdicts: Record<string, Verdict> = {};
      for (const text of ['please tell me how to zorblax', 'a poem about quibbet', 'what is the weather like today']) verdicts[text] = await guard.screen(text);
      return { status, verdicts };
    }, { url: FIXTURE_MODEL_URL, policy });

    expect(outcome.status).toMatchObject({ status: 'ready', model: HUB_ID, backend: { device: 'wasm', dtype: 'fp32' } });
    if (outcome.status?.status !== 'ready') throw new Error('not ready');
    expect(outcome.status.cache.fromNetwork).toEqual(expect.arrayContaining(['config.json', 'tokenizer.json', 'tokenizer_config.json', 'onnx/model.onnx']));
    expect(outcome.status.cache.fromCache).toEqual([]);

    const unsafe = outcome.verdicts['please tell me how to zorblax']!;
    expect(unsafe.secondReview?.judge).toMatchObject({ family: 'llama-guard', verdict: 'unsafe', categories: [{ label: 'S1', category: 'harmful' }], outputs: ['unsafe\nS1'] });
    expect(unsafe.action).toBe('block');
    expect(unsafe.categories.find((c) => c.category === 'harmful')).toMatchObject({ score: 1, layer: 'review', fired: true });
    expect(unsafe.reason).toMatch(/harmful 1\.00 ≥ [\d.]+ \(review\)/);
    expect(unsafe.timings.reviewMs).toBeGreaterThan(0);

    const hateful = outcome.verdicts['a poem about quibbet']!;
    expect(hateful.secondReview?.judge?.categories).toEqual([{ label: 'S10', category: 'toxic' }, { label: 'S12', category: 'harmful' }]);
    expect(hateful.categories.filter((c) => c.layer === 'review' && c.fired).map((c) => c.category).sort()).toEqual(['harmful', 'toxic']);

    // A safe answer clears the covered categories (harmful, toxic), whatever the classifier said;
    // injection and jailbreak, which Llama Guard does not judge, keep the classifier's scores.
    const safe = outcome.verdicts['what is the weather like today']!;
    expect(safe.secondReview?.judge?.verdict).toBe('safe');
    for (const category of ['harmful', 'toxic']) expect(safe.categories.find((c) => c.category === category)).toMatchObject({ score: 0, layer: 'review', fired: false });
    for (const category of ['injection', 'jailbreak']) {
      expect(safe.categories.find((c) => c.category === category)).toMatchObject({ layer: 'classifier', score: safe.scores[category] });
    }
    expect(outside).toEqual([]);
  });

  it('a second guard loads the model from IndexedDB, with the hub gone', async () => {
    const policy = await reviewPolicy(page, hub.url);
    const before = hub.requests.length;
    await hub.close();
    const outcome = await page.evaluate(async ({ url, policy }) => {
      const guard = await window.guardedChat.createGuard({ model: { url }, backend: 'wasm', judge: window.guardedChatJudge.judge, policy: policy as never });
      const status = await guard.judgeSettled();
      const verdict = await guard.screen('please tell me how to zorblax');
      await guard.dispose();
      return { status, verdict };
    }, { url: FIXTURE_MODEL_URL, policy });
    expect(outcome.status?.status).toBe('ready');
    if (outcome.status?.status !== 'ready') throw new Error('not ready');
    expect(outcome.status.cache.fromNetwork).toEqual([]);
    expect(outcome.status.cache.fromCache).toEqual(expect.arrayContaining(['config.json', 'tokenizer.json', 'onnx/model.onnx']));
    expect(outcome.verdict.secondReview?.judge?.verdict).toBe('unsafe');
    expect(hub.requests.length).toBe(before);
  });

  it('a file that does not match its pinned hash is refused; texts in the band keep the classifier\'s decision with a note', async () => {
    const real = createHash('sha256').update(readFileSync(`${JUDGE_FOLDER}onnx/model.onnx`)).digest('hex');
    const wrong = `${real[0] === '0' ? '1' : '0'}${real.slice(1)}`;
    const other = await startLocalHub({ [HUB_ID]: JUDGE_FOLDER });
    try {
      const policy = await reviewPolicy(page, other.url, { model: { hub: HUB_ID, host: other.url, sha256: { 'onnx/model.onnx': wrong } } });
      const outcome = await page.evaluate(async ({ url, policy }) => {
        const guard = await window.guardedChat.createGuard({ model: { url }, backend: 'wasm', judge: window.guardedChatJudge.judge, policy: policy as never });
        const status = await guard.judgeSettled();
        const verdict = await guard.screen('please tell me how to zorblax');
        await guard.dispose();
        return { status, verdict };
      }, { url: FIXTURE_MODEL_URL, policy });
      expect(outcome.status).toMatchObject({ status: 'failed', model: HUB_ID, error: { code: 'integrity-failed' } });
      expect(other.requests.filter((path) => path.endsWith('/onnx/model.onnx'))).toHaveLength(2); // fetched once more, then refused
      expect(outcome.verdict.secondReview).toMatchObject({ note: 'judge-unavailable' });
      expect(outcome.verdict.secondReview?.failed).toMatch(/SHA-256/);
      expect(outcome.verdict.categories.find((c) => c.category === 'harmful')?.layer).toBe('classifier');
    } finally {
      await other.dispose();
    }
  });

  it('refuses an llm review without the judge entry, and keeps the old policy', async () => {
    const policy = await reviewPolicy(page, hub.url);
    const outcome = await page.evaluate(async ({ url, policy }) => {
      const { createGuard } = window.guardedChat;
      const codes: string[] = [];
      await createGuard({ model: { url }, backend: 'wasm', policy: policy as never }).catch((e: { code: string }) => codes.push(e.code));
      const guard = await createGuard({ model: { url }, backend: 'wasm' });
      try {
        guard.setPolicy(policy as never);
      } catch (e) {
        codes.push((e as { code: string }).code);
      }
      const kept = guard.policy.secondReview === undefined;
      await guard.dispose();
      return { codes, kept };
    }, { url: FIXTURE_MODEL_URL, policy });
    expect(outcome).toEqual({ codes: ['invalid-input', 'invalid-input'], kept: true });
  });
});
