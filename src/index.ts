/**
 * guarded-chat: an on-device guardrail for LLM chat. Prompts and replies are screened in a
 * Web Worker by small ONNX classifiers on WebGPU or WASM; nothing is sent anywhere to screen it.
 */
export { createGuard, Guard } from './guard.js';
export { GuardError, type GuardErrorCode } from './errors.js';
export type {
  BackendInfo,
  BackendName,
  BackendRequest,
  GuardOptions,
  ModelDtype,
  ModelSource,
  ScreenResult,
} from './types.js';
