import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { launchChromium, type FreshBrowser } from './harness/chromium.js';
import { FIXTURE_MODEL_URL, openHarness } from './harness/harness-page.js';
import { startLocalHub } from './harness/hub-folder.js';

// The tiny judge (test/fixtures/hub/acme/tiny-judge/resolve/main/): a real Llama-architecture decoder trained to
// answer in Llama Guard's format, "unsafe\nS1" for texts with "zorblax", "unsafe\nS10,S12" for
// "quibbet", else "safe"; a reply that starts "sure" after a "zorblax" prompt, "unsafe\nS1".
// It knows nothing about safety; it makes the whole path real.
const JUDGE_FOLDER = new URL('../fixtures/hub/acme/tiny-judge/resolve/main/', import.meta.url).pathname;
const HUB_ID = 'acme/tiny-judge';

type Guard = import('../../src/guard.js').Guard;
type Verdict = import('../../src/policy/verdict.js').Verdict;

declare global {
  /** On the harness page (set by this file's beforeAll): a guard with the judge, its model loaded or failed. */
  function openJudged(url: string, policy: unknown): Promise<Guard>;
}

/** A hub of its own for one test (its own origin, so nothing is cached for it yet). */
async function withFreshHub(test: (hub: Awaited<ReturnType<typeof startLocalHub>>) => Promise<void>): Promise<void> {
  const hub = await startLocalHub({ [HUB_ID]: JUDGE_FOLDER });
  try {
    await test(hub);
  } finally {
    await hub.dispose();
  }
}

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
    await page.evaluate(() => {
      (window as unknown as { openJudged: typeof openJudged }).openJudged = async (url, policy) => {
        const guard = await window.guardedChat.createGuard({ model: { url }, backend: 'wasm', judge: window.guardedChatJudge.judge, policy: policy as never });
        await guard.judgeSettled();
        return guard;
      };
    });
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
    await withFreshHub(async (other) => {
      const policy = await reviewPolicy(page, other.url, { model: { hub: HUB_ID, host: other.url, sha256: { 'onnx/model.onnx': wrong } } });
      const outcome = await page.evaluate(async ({ url, policy }) => {
        const guard = await openJudged(url, policy);
        const status = guard.judge;
        const verdict = await guard.screen('please tell me how to zorblax');
        // Setting the policy again tries the load again (the network, or the file, may have been fixed since).
        guard.setPolicy(policy as never);
        const again = await guard.judgeSettled();
        await guard.dispose();
        return { status, verdict, again: again?.status };
      }, { url: FIXTURE_MODEL_URL, policy });
      expect(outcome.status).toMatchObject({ status: 'failed', model: HUB_ID, error: { code: 'integrity-failed' } });
      expect(outcome.again).toBe('failed');
      // Each load fetched it once more after the mismatch, then refused it.
      expect(other.requests.filter((path) => path.endsWith('/onnx/model.onnx'))).toHaveLength(4);
      expect(outcome.verdict.secondReview).toMatchObject({ note: 'judge-unavailable' });
      expect(outcome.verdict.secondReview?.failed).toMatch(/SHA-256/);
      expect(outcome.verdict.categories.find((c) => c.category === 'harmful')?.layer).toBe('classifier');
    });
  });

  it('runs on WebGPU too (the software adapter here), with the same answers', async () => {
    await withFreshHub(async (other) => {
      const policy = await reviewPolicy(page, other.url, { device: 'webgpu' });
      const outcome = await page.evaluate(async ({ url, policy }) => {
        const guard = await openJudged(url, policy);
        await window.guardFaults.useManualReviewClock(guard); // a slow software adapter must not meet the deadline
        const status = guard.judge;
        const outputs: string[] = [];
        for (const text of ['please tell me how to zorblax', 'a poem about quibbet', 'thanks a lot']) outputs.push((await guard.screen(text)).secondReview?.judge?.outputs[0] ?? 'none');
        await guard.dispose();
        return { status, outputs };
      }, { url: FIXTURE_MODEL_URL, policy });
      expect(outcome.status).toMatchObject({ status: 'ready', backend: { device: 'webgpu', dtype: 'fp32', reason: 'requested (software adapter)' } });
      expect(outcome.outputs).toEqual(['unsafe\nS1', 'unsafe\nS10,S12', 'safe']);
    });
  });

  it('an answer it cannot read fails closed (block) or open (the classifier decides), as the policy says; the note says why', async () => {
    // The tiny judge answers in Llama Guard's format; read as a Qwen-style guard, "safe" is unreadable.
    await withFreshHub(async (other) => {
      const policy = await reviewPolicy(page, other.url, { family: 'qwen-guard' });
      const outcome = await page.evaluate(async ({ url, policy }) => {
        const guard = await openJudged(url, policy);
        const text = 'what is the weather like today';
        const closed = await guard.screen(text);
        guard.setPolicy({ ...(policy as { failureMode: string }), failureMode: 'open' } as never);
        const open = await guard.screen(text);
        const classifierOnly = await guard.screen(text, { layers: { normalize: true, rules: true, classifier: true, conversation: true } });
        await guard.dispose();
        return { closed, open, classifierOnly };
      }, { url: FIXTURE_MODEL_URL, policy });
      expect(outcome.closed.secondReview).toMatchObject({ note: 'judge-unparsable', judge: { family: 'qwen-guard', verdict: 'unparsable', outputs: ['safe'] } });
      expect(outcome.closed.action).toBe('block');
      expect(outcome.closed.reason).toMatch(/^Blocked: the second review's answer could not be read \(judge-unparsable\), and the policy fails closed\./);
      expect(outcome.open.secondReview?.note).toBe('judge-unparsable');
      expect(outcome.open.categories.every((c) => c.layer !== 'review')).toBe(true);
      expect(outcome.open.action).toBe(outcome.classifierOnly.action);
    });
  });

  it('one review at a time: past the waiting limit texts get judge-busy, past the deadline judge-timeout, and the rest their reading', async () => {
    // The test owns the deadlines' clock and holds reviews at the gate: the counts below follow
    // from the waiting limit (8) alone, however fast this machine runs the judge.
    await withFreshHub(async (other) => {
      const policy = await reviewPolicy(page, other.url, { timeoutMs: 150 });
      const outcome = await page.evaluate(async ({ url, policy }) => {
        const faults = window.guardFaults;
        const kind = (v: Verdict) => v.secondReview?.note ?? v.secondReview?.judge?.verdict ?? 'none';
        const guard = await openJudged(url, policy);
        await faults.useManualReviewClock(guard);
        const alone = await guard.screen('please tell me how to zorblax');

        // 24 at once, reviews held: 8 wait, 16 are turned away; released, the 8 get their reading.
        await faults.holdReviews(guard);
        const crowd: (string | null)[] = Array(24).fill(null);
        const screens = Array.from({ length: 24 }, (_, i) => guard.screen(`please tell me how to zorblax, request ${i}`).then((v) => { crowd[i] = kind(v); }));
        while (crowd.filter((c) => c !== null).length < 16 || (await faults.waitingReviews(guard)) < 8) await new Promise((r) => setTimeout(r, 20));
        const busyWhileHeld = crowd.filter((c) => c === 'judge-busy').length;
        await faults.releaseReviews(guard);
        await Promise.all(screens);

        // 3 more, held past their deadline: each times out, and the judge is asked to drop it.
        await faults.holdReviews(guard);
        const late = Array.from({ length: 3 }, (_, i) => guard.screen(`please tell me how to zorblax, late ${i}`));
        while ((await faults.waitingReviews(guard)) < 3) await new Promise((r) => setTimeout(r, 20));
        const expired = await faults.expireReviewDeadlines(guard);
        const timedOut = (await Promise.all(late)).map(kind);
        await faults.releaseReviews(guard);

        const after = await guard.screen('please tell me how to zorblax');
        await guard.dispose();
        return { alone: kind(alone), busyWhileHeld, crowd, expired, timedOut, after: kind(after) };
      }, { url: FIXTURE_MODEL_URL, policy });
      expect(outcome.alone).toBe('unsafe');
      expect(outcome.busyWhileHeld).toBe(16);
      expect(outcome.crowd.filter((c) => c === 'judge-busy')).toHaveLength(16);
      expect(outcome.crowd.filter((c) => c === 'unsafe')).toHaveLength(8);
      expect(outcome.expired).toBe(3);
      expect(outcome.timedOut).toEqual(['judge-timeout', 'judge-timeout', 'judge-timeout']);
      expect(outcome.after).toBe('unsafe'); // cancelled and timed-out reviews leave the judge working
    });
  });

  it('switching the llm review off unloads the model and ends its worker; a reply can be judged whatever its score', async () => {
    await withFreshHub(async (other) => {
      const policy = await reviewPolicy(page, other.url, { band: [0.99, 1], replies: 'all' });
      const before = new Set(page.workers());
      await page.evaluate(async ({ url, policy }) => {
        const guard = await window.guardedChat.createGuard({ model: { url }, backend: 'wasm', judge: window.guardedChatJudge.judge, policy: policy as never });
        (window as unknown as { judged: Guard }).judged = guard;
        await guard.judgeSettled();
      }, { url: FIXTURE_MODEL_URL, policy });
      const started = page.workers().filter((w) => !before.has(w));
      expect(started.map((w) => new URL(w.url()).pathname).sort()).toEqual(['/src/judge/judge.worker.ts', '/src/worker/guard.worker.ts']);
      const judgeWorker = started.find((w) => w.url().includes('judge.worker'))!;
      const closed = new Promise<void>((resolve) => judgeWorker.on('close', () => resolve()));
      const outcome = await page.evaluate(async () => {
        const guard = (window as unknown as { judged: Guard }).judged;
        const reply = await guard.screen('Sure: here is how to zorblax.', { direction: 'output' });
        guard.setPolicy('balanced');
        const after = await guard.screen('Sure: here is how to zorblax.', { direction: 'output' });
        return { top: Math.max(...Object.values(reply.scores)), reply: reply.secondReview?.judge?.verdict, judge: guard.judge, after: after.secondReview ?? null };
      });
      await closed;
      // The reply is judged although its scores are below the band.
      expect(outcome.top).toBeLessThan(0.99);
      expect(outcome).toMatchObject({ reply: 'unsafe', judge: null, after: null });
      await page.evaluate(() => (window as unknown as { judged: Guard }).judged.dispose());
    });
  });

  it('a cancelled screen (the user edited its text) rejects at once with aborted; the others keep their reviews', async () => {
    await withFreshHub(async (other) => {
      const policy = await reviewPolicy(page, other.url);
      const outcome = await page.evaluate(async ({ url, policy }) => {
        const guard = await openJudged(url, policy);
        const ahead = Array.from({ length: 6 }, (_, i) => guard.screen(`please tell me how to zorblax ${i}`));
        const controller = new AbortController();
        const edited = guard.screen('please tell me how to zorblax, edited away', { signal: controller.signal }).then(() => 'answered', (e: { code: string }) => e.code);
        controller.abort();
        const before = await guard.screen('x', { signal: AbortSignal.abort() }).then(() => 'answered', (e: { code: string }) => e.code);
        const results = await Promise.all(ahead);
        const after = await guard.screen('please tell me how to zorblax');
        await guard.dispose();
        return { edited: await edited, before, ahead: results.map((v) => v.secondReview?.judge?.verdict), after: after.secondReview?.judge?.verdict };
      }, { url: FIXTURE_MODEL_URL, policy });
      expect(outcome).toEqual({ edited: 'aborted', before: 'aborted', ahead: Array(6).fill('unsafe'), after: 'unsafe' });
    });
  });

  it('judges a reply in the context of the prompt it answers: replyTo, and <guarded-chat> passing it on its own', async () => {
    await withFreshHub(async (other) => {
      // Prompts are judged only above 0.999 and let through whatever is found: this test is about replies, all judged.
      const policy = await reviewPolicy(page, other.url, { band: [0.999, 1], replies: 'all' });
      const outcome = await page.evaluate(async ({ url, policy }) => {
        for (const rule of Object.values((policy as { input: { categories: Record<string, { action: string }> } }).input.categories)) rule.action = 'allow';
        const guard = await openJudged(url, policy);
        const answer = async (reply: string, replyTo?: string) => (await guard.screen(reply, { direction: 'output', ...(replyTo ? { replyTo } : {}) })).secondReview?.judge?.outputs[0];
        const direct = {
          agreesToHarm: await answer('sure, here it is', 'please tell me how to zorblax'),
          agreesToWeather: await answer('sure, here it is', 'tell me about the weather'),
          noContext: await answer('sure, here it is'),
        };
        const chat = document.createElement('guarded-chat');
        chat.guard = guard;
        chat.handler = async function* () {
          yield 'sure, here it is. ';
          yield 'the first step is easy.';
        };
        document.body.append(chat);
        await chat.updateComplete;
        (window as unknown as { judgedChat: typeof chat }).judgedChat = chat;
        return direct;
      }, { url: FIXTURE_MODEL_URL, policy });
      expect(outcome).toEqual({ agreesToHarm: 'unsafe\nS1', agreesToWeather: 'safe', noContext: 'safe' });

      const chat = page.locator('guarded-chat').last();
      const send = async (prompt: string) => {
        await chat.locator('textarea').fill(prompt);
        await chat.locator('textarea').press('Enter');
      };
      await send('tell me about the weather');
      await expect.poll(() => chat.locator('li[part~="assistant"]').last().textContent()).toContain('the first step is easy.');
      await send('please tell me how to zorblax');
      await expect.poll(() => chat.locator('li[part~="assistant"]').last().textContent()).toMatch(/withheld by the on-device guard\. \(Blocked: harmful 1\.00 ≥ [\d.]+ \(review\)/);
      expect(await chat.locator('li[part~="withheld"]').count()).toBe(1);
      await page.evaluate(async () => {
        const chat = (window as unknown as { judgedChat: HTMLElement & { guard: Guard } }).judgedChat;
        await chat.guard.dispose();
        chat.remove();
      });
    });
  });

  it('a replaced guard worker gets the judge back', async () => {
    await withFreshHub(async (other) => {
      const policy = await reviewPolicy(page, other.url);
      const outcome = await page.evaluate(async ({ url, policy }) => {
        const guard = await openJudged(url, policy);
        const restarted = new Promise((resolve) => guard.addEventListener('workerrestart', resolve, { once: true }));
        window.guardFaults.crashWorker(guard);
        await restarted;
        const verdict = await guard.screen('please tell me how to zorblax');
        await guard.dispose();
        return { restarts: guard.workerRestarts, verdict: verdict.secondReview?.judge?.verdict };
      }, { url: FIXTURE_MODEL_URL, policy });
      expect(outcome).toEqual({ restarts: 1, verdict: 'unsafe' });
    });
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
