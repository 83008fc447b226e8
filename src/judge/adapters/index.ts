import type { JudgeFamilyName } from '../../policy/policy.js';
import type { JudgeAdapter } from './adapter.js';
import { llamaGuard } from './llama-guard.js';
import { qwenGuard } from './qwen-guard.js';
import { shieldGemma } from './shieldgemma.js';

export type JudgeFamily = JudgeFamilyName;

/** The adapter for a family (ShieldGemma with its four default guidelines). */
export function judgeAdapter(family: JudgeFamily): JudgeAdapter {
  switch (family) {
    case 'llama-guard':
      return llamaGuard;
    case 'shieldgemma':
      return shieldGemma();
    case 'qwen-guard':
      return qwenGuard;
  }
}

export * from './adapter.js';
export { LLAMA_GUARD_CATEGORIES, llamaGuard } from './llama-guard.js';
export { QWEN_GUARD_CATEGORIES, qwenGuard } from './qwen-guard.js';
export { SHIELDGEMMA_GUIDELINES, shieldGemma, type ShieldGemmaGuideline } from './shieldgemma.js';
