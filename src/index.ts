/**
 * guarded-chat: an on-device guardrail for LLM chat. Prompts and replies are screened in a
 * Web Worker by small ONNX classifiers on WebGPU or WASM; nothing is sent anywhere to screen it.
 */
export { createGuard, Guard, resolvePolicy, type GuardEventMap, type GuardStatusReport, type ReviewModelStatus, type ScreenOptions } from './guard.js';
export { clearModelCache, evictCachedModel, listCachedModels, requestPersistentStorage } from './store/model-cache.js';
export type { StoredModelSummary } from './store/model-store.js';
export { DEFAULT_DOWNLOAD_RETRY, type DownloadRetryOptions } from './store/download-retry.js';
export { GuardError, type GuardErrorCode } from './errors.js';
export type { GuardOptions } from './guard-options.js';
export type {
  BackendInfo,
  BackendName,
  BackendRequest,
  CacheReport,
  HubModelSource,
  LoadProgress,
  LoadTimings,
  RuntimeFiles,
  RuntimeUrls,
  ShippedModelSource,
  UrlModelSource,
  ModelDtype,
  ModelSource,
  OptionalPartStatus,
  ScreenResult,
} from './types.js';
export { AuditLog, redactForLog, type AuditEntry, type AuditOptions, type AuditTextMode } from './audit/audit-log.js';
export { validatePolicy, type SecondReviewPolicy, type ClassifierReviewPolicy, type LlmReviewPolicy, type JudgeFamilyName, type Action, type CategoryRule, type ConversationPolicy, type DirectionPolicy, type LanguagePolicy, type MultilingualReaderPolicy, type Policy, type PolicyProblem, type UncoveredLanguageAction } from './policy/policy.js';
export { calibratedPreset, POLICY_PRESETS, type PresetCalibration } from './policy/presets.js';
export type { CategoryVerdict, JudgeNote, JudgeReading, LanguageVerdict, Layer, Verdict } from './policy/verdict.js';
export type { JudgeProvider, JudgeStatus } from './worker/judge-link.js';
export type { RuleHit, RuleCategory } from './screen/rules/rule-hit.js';
export type { LayerSwitches, ScreenRequest } from './screen/pipeline.js';
export { normalize, type NormalizedText, type NormalizationFlag } from './screen/normalize.js';

// Side effect: importing the package registers its custom elements.
export { GuardedChat } from './components/guarded-chat/guarded-chat.js';
export type { GuardProgressDetail, GuardReadyDetail, GuardVerdictDetail } from './components/guard-events.js';
export type { ChatHandler, ChatMessage } from './components/guarded-chat/demo-responder.js';
export type { GuardErrorDetail, NewConversationDetail } from './components/guarded-chat/guarded-chat.component.js';
export { DEFAULT_GUARDED_CHAT_STRINGS, type GuardedChatStrings } from './components/guarded-chat/guarded-chat.strings.js';
export { ChatEndpointError, openAiChatHandler, type ChatEndpointErrorCode, type OpenAiChatOptions } from './components/guarded-chat/openai-chat-handler.js';
export { GuardStatus } from './components/guard-status/guard-status.js';
export { DEFAULT_GUARD_STATUS_STRINGS, type GuardStatusStrings } from './components/guard-status/guard-status.strings.js';
export { GuardedInput } from './components/guarded-input/guarded-input.js';
export { DEFAULT_GUARDED_INPUT_STRINGS, type GuardedInputStrings } from './components/guarded-input/guarded-input.component.js';
export { GuardedOutput } from './components/guarded-output/guarded-output.js';
export { DEFAULT_GUARDED_OUTPUT_STRINGS, type GuardedOutputStrings } from './components/guarded-output/guarded-output.component.js';

// Red teaming: attack generators and a runner against any Guard.
export { TECHNIQUES, TECHNIQUE_IDS, type Technique, type TechniqueFamily, type AttackForm } from './redteam/techniques.js';
export { generateCases, casesFromAuditExport, type RedTeamCase, type RedTeamGoal, type GenerateOptions } from './redteam/generate.js';
export { runRedTeam, type RedTeamReport, type TechniqueResult, type CategoryResult, type ScreeningTarget } from './redteam/runner.js';
