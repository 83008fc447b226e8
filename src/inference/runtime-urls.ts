import { GuardError } from '../errors.js';
import type { RuntimeUrls } from '../types.js';

/** The page's `runtime` option, checked and made absolute (the worker resolves against its own URL, not the page's). */
export function resolveRuntimeUrls(runtime: RuntimeUrls | undefined, pageUrl: string): RuntimeUrls {
  const out: RuntimeUrls = {};
  for (const backend of ['wasm', 'webgpu'] as const) {
    const files = runtime?.[backend];
    if (files === undefined) continue;
    if (typeof files?.wasm !== 'string' || typeof files?.mjs !== 'string' || !files.wasm || !files.mjs) {
      throw new GuardError('invalid-input', `runtime.${backend} needs two URLs, { wasm, mjs }; got ${JSON.stringify(files)}`);
    }
    out[backend] = { wasm: new URL(files.wasm, pageUrl).href, mjs: new URL(files.mjs, pageUrl).href };
  }
  return out;
}
