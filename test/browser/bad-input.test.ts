import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { FIXTURE_MODEL_URL, useHarnessPage } from './harness/harness-page.js';

// The inputs, the fuzzer and the validator are imported by the page itself (the dev server
// serves test/ too), so 1 MB texts and lone surrogates need not cross the test protocol.
type BadInputs = typeof import('../bad-inputs.js');
type FuzzText = typeof import('../fuzz-text.js');
type SeededRandomModule = typeof import('../../src/redteam/seeded-random.js');
type VerdictShape = typeof import('../verdict-shape.js');

describe('bad input through the real worker', () => {
  let page: Page;
  useHarnessPage(async (opened) => {
    page = opened;
    await page.evaluate(async (url) => {
      // A deadline long enough for 1 MB on one WASM thread: this is about correctness, not speed.
      const guard = await window.guardedChat.createGuard({ model: { url }, backend: 'wasm', timeoutMs: 240_000 });
      (window as unknown as { guard: typeof guard }).guard = guard;
    }, FIXTURE_MODEL_URL);
  });

  it('empty, 1 MB, lone surrogates, control characters, 10,000 emoji, nested base64, RTL, mixed scripts: well-formed verdicts', async () => {
    const results = await page.evaluate(async () => {
      // (Built at run time: Vitest would rewrite a literal import() in this function.)
      const load = new Function('path', 'return import(path)') as (path: string) => Promise<unknown>;
      const { badInputs } = (await load('/test/bad-inputs.ts')) as BadInputs;
      const { verdictProblems } = (await load('/test/verdict-shape.ts')) as VerdictShape;
      const guard = (window as unknown as { guard: import('../../src/index.js').Guard }).guard;
      const out = [];
      for (const { name, text, attack } of badInputs()) {
        const started = performance.now();
        let problems: string[];
        let action = '';
        let failure: string | undefined;
        try {
          const verdict = await guard.screen(text);
          problems = verdictProblems(verdict, text);
          action = verdict.action;
          failure = verdict.failure?.code;
        } catch (error) {
          problems = [`threw ${(error as Error).message}`];
        }
        out.push({ name, length: text.length, attack: attack ?? false, action, failure, problems, ms: performance.now() - started });
      }
      return out;
    });
    console.log(`bad inputs through the worker (fixture model, WASM):\n${results.map((r) => `  ${r.name} (${r.length} UTF-16 units): ${r.action} in ${r.ms.toFixed(0)} ms`).join('\n')}`);
    for (const r of results) {
      expect(r.problems, r.name).toEqual([]);
      expect(r.failure, r.name).toBeUndefined(); // screened for real, not a failure verdict
      if (r.attack) expect(r.action, r.name).toBe('block');
    }
    expect(results.find((r) => r.name === 'empty')?.action).toBe('allow');
  }, 300_000);

  it('fuzz: 300 seeded random unicode/encoded texts through every layer: no exception, every verdict well formed', async () => {
    const outcome = await page.evaluate(async (count) => {
      // (Built at run time: Vitest would rewrite a literal import() in this function.)
      const load = new Function('path', 'return import(path)') as (path: string) => Promise<unknown>;
      const { fuzzCase } = (await load('/test/fuzz-text.ts')) as FuzzText;
      const { seededRandom } = (await load('/src/redteam/seeded-random.ts')) as SeededRandomModule;
      const { verdictProblems } = (await load('/test/verdict-shape.ts')) as VerdictShape;
      const guard = (window as unknown as { guard: import('../../src/index.js').Guard }).guard;
      const random = seededRandom(20_261_123);
      const cases = Array.from({ length: count }, () => fuzzCase(random));
      const bad: string[] = [];
      const actions: Record<string, number> = {};
      const started = performance.now();
      // In groups of 20 at once, as a busy page would send them.
      for (let i = 0; i < cases.length; i += 20) {
        const group = cases.slice(i, i + 20);
        const settled = await Promise.allSettled(group.map(({ text }, j) => guard.screen(text, { direction: (i + j) % 3 ? 'input' : 'output', conversation: `fuzz-${j % 5}` })));
        settled.forEach((s, j) => {
          const text = group[j]!.text;
          if (s.status === 'rejected') bad.push(`${i + j}: threw ${(s.reason as Error).message}`);
          else {
            const problems = verdictProblems(s.value, text);
            if (s.value.failure) problems.push(`failure ${s.value.failure.code}`);
            if (problems.length > 0) bad.push(`${i + j}: ${problems.join('; ')}`);
            actions[s.value.action] = (actions[s.value.action] ?? 0) + 1;
          }
        });
      }
      return { bad, actions, encoded: cases.filter((c) => c.layers.length > 0).length, ms: performance.now() - started };
    }, 300);
    console.log(`worker fuzz: 300 cases (${outcome.encoded} encoded) in ${outcome.ms.toFixed(0)} ms, actions ${JSON.stringify(outcome.actions)}`);
    expect(outcome.bad).toEqual([]);
    expect(Object.values(outcome.actions).reduce((a, b) => a + b, 0)).toBe(300);
  }, 300_000);
});
