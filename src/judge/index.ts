/**
 * `guarded-chat/judge`: a generative guard model (Llama Guard, ShieldGemma, a Qwen-style guard)
 * as the second review, run by transformers.js in its own worker. Kept out of the base package:
 * only pages that import this entry pull in `@huggingface/transformers` (an optional peer
 * dependency).
 *
 * ```js
 * import { createGuard } from 'guarded-chat';
 * import { judge } from 'guarded-chat/judge';
 * const guard = await createGuard({ judge, policy: { ...policy, secondReview: { kind: 'llm', model: { hub: 'org/guard-model' }, band: [0.2, 0.8] } } });
 * ```
 */
import type { JudgeProvider } from '../worker/judge-link.js';
import { JudgeHost } from './judge-host.js';

/** Runs the judge's worker for a guard; pass it to `createGuard({ judge })`. */
export const judge: JudgeProvider = {
  host: (target, events) => new JudgeHost(
    () => new Worker(new URL('./judge.worker.ts', import.meta.url), { type: 'module', name: 'guarded-chat-judge' }),
    target,
    events,
  ),
};

export * from './adapters/index.js';
export type { JudgeAnswer, JudgeBackend, JudgeDtype, JudgeLoadSpec, JudgeReady } from './judge-worker-api.js';
export type { JudgeProvider, JudgeStatus } from '../worker/judge-link.js';
