/**
 * Where a script's guard runs: `chromium` (the built library in headless Chromium, the Web
 * Worker path a page takes) or `node` (the worker's pipeline code in this process, see
 * node-guard.ts). Eval, red-team and bench scripts write one function against a guard and run it
 * in either.
 */
import { execFileSync } from 'node:child_process';
import type { Page } from 'playwright-core';
import { runRedTeam } from '../../src/redteam/runner.js';
import type { ClassifierReviewPolicy, MultilingualReaderPolicy } from '../../src/policy/policy.js';
import type { Verdict } from '../../src/policy/verdict.js';
import type { LayerSwitches } from '../../src/screen/pipeline.js';
import type { BackendInfo, ScreenResult } from '../../src/types.js';
import { openBuiltLibraryPage } from '../browser/harness/built-library-page.js';
import { createNodeGuard } from './node-guard.js';

export type RuntimeName = 'chromium' | 'node';

/** What a script's function may call: the part of `Guard` both runtimes have. */
export interface ScriptGuard {
  readonly labels: readonly string[];
  readonly backend: BackendInfo;
  screen(text: string, options?: { direction?: 'input' | 'output'; conversation?: string; layers?: LayerSwitches }): Promise<Verdict>;
  classify(text: string): Promise<ScreenResult>;
}

/** Library functions a script's function may need beside the guard (from the built library in Chromium). */
export interface ScriptLibrary {
  runRedTeam: typeof runRedTeam;
}

/**
 * A function run against the guard. In Chromium it is sent to the page as source text, so it
 * must not refer to anything outside itself but its arguments.
 */
export type GuardScript<A, R> = (guard: ScriptGuard, arg: A, lib: ScriptLibrary) => Promise<R>;

export interface GuardRuntime {
  readonly name: RuntimeName;
  /** E.g. "wasm: requested (1 thread), headless Chromium" — for reports. */
  readonly description: string;
  run<A, R>(script: GuardScript<A, R>, arg: A): Promise<R>;
  close(): Promise<void>;
}

export interface RuntimeOptions {
  /** Model folder as a URL path under the project root. */
  modelPath: string;
  policy: 'strict' | 'balanced' | 'permissive';
  backend?: 'wasm' | 'webgpu';
  /** Chromium: build the library first (default true). */
  build?: boolean;
  /** Chromium: a cross-origin isolated page (several WASM threads). */
  isolated?: boolean;
  /** A classifier second review added to the preset; its model's `url` a path under the project root. */
  review?: ClassifierReviewPolicy;
  /** A multilingual reader added to the preset's language step; its model's `url` a path under the project root. */
  multilingual?: MultilingualReaderPolicy;
}

const threadsOf = (b: BackendInfo) => (b.name === 'wasm' ? ` (${b.threads} thread${b.threads === 1 ? '' : 's'})` : '');

/** Loads the model in the chosen runtime and keeps one guard there until `close`. */
export async function openGuardRuntime(name: RuntimeName, options: RuntimeOptions): Promise<GuardRuntime> {
  const root = new URL('../../', import.meta.url).pathname;
  if (name === 'node') {
    const guard = await createNodeGuard({ modelPath: options.modelPath, policy: options.policy, ...(options.review ? { review: options.review } : {}), ...(options.multilingual ? { multilingual: options.multilingual } : {}) });
    return {
      name,
      description: `${guard.backend.summary}${threadsOf(guard.backend)}, Node ${process.version} in-process (onnxruntime-web WASM)`,
      run: (script, arg) => script(guard, arg, { runRedTeam }),
      close: () => guard.dispose(),
    };
  }
  if (options.build !== false) execFileSync('npm', ['run', '--silent', 'build:lib'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
  const { page, close } = await openBuiltLibraryPage(root, { isolated: options.isolated ?? false });
  try {
    const backend = await page.evaluate(async ({ url, backend, policy, review, multilingual }) => {
      const guard = await window.guardedChat.createGuard({ model: { url }, backend, policy, timeoutMs: 600_000 });
      (window as unknown as { scriptGuard: unknown }).scriptGuard = guard;
      // The preset is fitted to the model's calibration when the guard loads; the review goes on top.
      if (review) guard.setPolicy({ ...guard.policy, secondReview: review });
      if (multilingual && guard.policy.language) guard.setPolicy({ ...guard.policy, language: { ...guard.policy.language, multilingual } });
      return guard.backend;
    }, { url: options.modelPath, backend: options.backend ?? 'wasm', policy: options.policy, review: options.review ?? null, multilingual: options.multilingual ?? null });
    return {
      name,
      description: `${backend.summary}${threadsOf(backend)}, headless Chromium (built library, Web Worker)`,
      run: (script, arg) => runInPage(page, script, arg),
      async close() {
        await page.evaluate(() => (window as unknown as { scriptGuard: { dispose(): Promise<void> } }).scriptGuard.dispose()).catch(() => undefined);
        await close();
      },
    };
  } catch (error) {
    await close();
    throw error;
  }
}

/** Runs `script` in a page whose `window.scriptGuard` holds a Guard (set by `openGuardRuntime`, or by a bench). */
export function runInPage<A, R>(page: Page, script: GuardScript<A, R>, arg: A): Promise<R> {
  return page.evaluate(async ({ source, arg }) => {
    const w = window as unknown as { scriptGuard: ScriptGuard; guardedChat: ScriptLibrary };
    // Indirect eval: the script's source, compiled in the page's global scope.
    const fn = (0, eval)(`(${source})`) as GuardScript<unknown, unknown>;
    return fn(w.scriptGuard, arg, w.guardedChat);
  }, { source: script.toString(), arg }) as Promise<R>;
}
