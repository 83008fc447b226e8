import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Guard } from '../../src/guard.js';
import type { Verdict } from '../../src/policy/verdict.js';
import { openBuiltLibraryPage, type BuiltLibraryPage } from './harness/built-library-page.js';
import { useHarnessPage } from './harness/harness-page.js';

const ROOT = new URL('../../', import.meta.url).pathname;
const MODEL = 'guard-use-lite';

const BENIGN: Record<string, string> = {
  fr: 'Bonjour, pouvez-vous m\'aider à écrire une lettre de motivation pour un stage ?',
  de: 'Wie kann ich meinen Garten im Frühling am besten vorbereiten?',
  zh: '你好，请帮我写一首关于春天的诗。',
  es: '¿Cuál es la mejor manera de aprender a tocar la guitarra?',
};
const ENGLISH = 'Can you help me write a cover letter for an internship?';

type Screen = (text: string, options?: Record<string, unknown>) => Promise<Verdict>;

/** Screens in the page's `window.guard`. */
function screenIn(page: () => Page): Screen {
  return (text, options = {}) => page().evaluate(async ({ text, options }) => {
    const guard = (window as unknown as { guard: Guard }).guard;
    return guard.screen(text, options);
  }, { text, options });
}

describe(`language step in the real worker (${MODEL}, fastText lid.176, balanced policy)`, () => {
  let page: Page;
  useHarnessPage(async (opened) => {
    page = opened;
    await page.evaluate(async (name) => {
      (window as unknown as { guard: unknown }).guard = await window.guardedChat.createGuard({ model: { name }, backend: 'wasm' });
    }, MODEL);
  });
  const screen = screenIn(() => page);

  it('finds benign French, German, Chinese and Spanish prompts not covered, and does not block them', async () => {
    for (const [language, text] of Object.entries(BENIGN)) {
      const verdict = await screen(text);
      expect(verdict.language, text).toMatchObject({ language, covered: false, basis: 'language' });
      expect(verdict.action, text).not.toBe('block');
      expect(verdict.categories.find((c) => c.category === 'language:not-covered'), text).toMatchObject({ fired: true, action: 'warn', layer: 'language' });
      expect(verdict.reason, text).toContain(`Language ${language} (`);
      expect(Object.keys(verdict.scores).length, text).toBeGreaterThan(0); // still scored and reported
    }
  });

  it('covers English, and greetings too short to judge', async () => {
    expect((await screen(ENGLISH)).language).toMatchObject({ language: 'en', covered: true, basis: 'language' });
    for (const text of ['hello', 'ok', 'thanks!']) {
      const verdict = await screen(text);
      expect(verdict.language, text).toMatchObject({ covered: true, basis: 'short-text' });
      expect(verdict.categories.some((c) => c.category === 'language:not-covered'), text).toBe(false);
    }
  });

  it('still redacts a card number and an API key in text it does not cover', async () => {
    const card = await screen('Mon numéro de carte est 4111 1111 1111 1111, pouvez-vous vérifier mon paiement ?');
    expect(card).toMatchObject({ action: 'redact', language: { language: 'fr', covered: false } });
    expect(card.redactedText).toBe('Mon numéro de carte est [CARD], pouvez-vous vérifier mon paiement ?');
    const key = await screen('Hier ist mein Schlüssel AKIAIOSFODNN7EXAMPLE, warum funktioniert die Verbindung zum Server nicht?');
    expect(key).toMatchObject({ action: 'redact', language: { language: 'de', covered: false } });
    expect(key.redactedText).not.toContain('AKIAIOSFODNN7EXAMPLE');
    const openai = await screen('这是我的密钥 sk-proj-abc123def456ghi789jkl012mno345pqr678stu901vwx，请帮我检查代码为什么连接失败。');
    expect(openai).toMatchObject({ action: 'redact', language: { language: 'zh', covered: false } });
    expect(openai.redactedText).toBe('这是我的密钥 [API_KEY]，请帮我检查代码为什么连接失败。');
  });

  it('lets classifier scores warn but not block: on a hair trigger, English blocks and French only warns', async () => {
    const outcome = await page.evaluate(async ({ fr, en }) => {
      const guard = (window as unknown as { guard: Guard }).guard;
      const before = guard.policy;
      const trigger = structuredClone(before);
      for (const rule of Object.values(trigger.input.categories)) rule.threshold = Math.min(rule.threshold, 0.0001);
      const withoutLanguage = structuredClone(trigger);
      delete withoutLanguage.language;
      try {
        guard.setPolicy(trigger);
        const french = await guard.screen(fr);
        const english = await guard.screen(en);
        guard.setPolicy(withoutLanguage);
        const frenchWithoutStep = await guard.screen(fr);
        return { french, english, frenchWithoutStep };
      } finally {
        guard.setPolicy(before);
      }
    }, { fr: BENIGN.fr!, en: ENGLISH });
    expect(outcome.english.action).toBe('block');
    expect(outcome.french.action).toBe('warn');
    expect(outcome.french.categories.filter((c) => c.loweredFrom === 'block').length).toBeGreaterThan(0);
    expect(outcome.frenchWithoutStep.action).toBe('block');
    expect(outcome.frenchWithoutStep).not.toHaveProperty('language');
  });
});

describe('language step in the built library: its files come from the bundle, once, and only when the policy asks', () => {
  let built: BuiltLibraryPage;
  beforeAll(async () => {
    built = await openBuiltLibraryPage(ROOT);
  });
  afterAll(async () => {
    await built?.close();
  });
  const languageFiles = () => built.server.requests.filter((p) => /fastText|lid\.176/.test(p));

  it('loads nothing for a policy without a language section, then glue, wasm and model once from dist/lib/assets/', async () => {
    const verdicts = await built.page.evaluate(async ({ name, texts }) => {
      const { createGuard, POLICY_PRESETS } = window.guardedChat;
      const { language: _, ...noLanguage } = structuredClone(POLICY_PRESETS.balanced);
      const guard = await createGuard({ model: { name }, backend: 'wasm', policy: noLanguage });
      (window as unknown as { guard: Guard }).guard = guard;
      return Promise.all(texts.map((t: string) => guard.screen(t)));
    }, { name: MODEL, texts: Object.values(BENIGN) });
    expect(verdicts.every((v) => v.language === undefined)).toBe(true);
    expect(languageFiles()).toEqual([]);

    const after = await built.page.evaluate(async (texts) => {
      const guard = (window as unknown as { guard: Guard }).guard;
      guard.setPolicy('balanced');
      const out = [];
      for (const t of texts) out.push(await guard.screen(t));
      return out;
    }, Object.values(BENIGN));
    expect(after.map((v) => v.language?.language)).toEqual(Object.keys(BENIGN));
    expect(after.every((v) => v.language?.covered === false)).toBe(true);
    const files = languageFiles();
    expect(files).toHaveLength(3);
    for (const pattern of [/^\/dist\/lib\/assets\/fastText\.common-[\w-]+\.js$/, /^\/dist\/lib\/assets\/fastText\.common-[\w-]+\.wasm$/, /^\/dist\/lib\/assets\/lid\.176-[\w-]+\.ftz$/]) {
      expect(files.filter((f) => pattern.test(f)), String(pattern)).toHaveLength(1);
    }
  });

  it('screens on, every text covered, when the language model cannot load', async () => {
    await built.page.context().route('**/lid.176-*.ftz', (route) => route.abort('failed'));
    try {
      const verdict = await built.page.evaluate(async ({ name, text }) => {
        // The earlier tests stored the file in IndexedDB (it would be read from there): drop it.
        await window.guardedChat.evictCachedModel('bundled:fasttext-lid.176');
        const guard = await window.guardedChat.createGuard({ model: { name }, backend: 'wasm', download: { attempts: 1 } });
        try {
          return await guard.screen(text);
        } finally {
          await guard.dispose();
        }
      }, { name: MODEL, text: BENIGN.de! });
      expect(verdict.language).toMatchObject({ covered: true, basis: 'unavailable' });
      expect(verdict.language!.failed).toMatch(/^language-id: /);
      expect(verdict.failure).toBeUndefined();
      expect(verdict.scores).toHaveProperty('injection');
    } finally {
      await built.page.context().unroute('**/lid.176-*.ftz');
    }
  });
});
