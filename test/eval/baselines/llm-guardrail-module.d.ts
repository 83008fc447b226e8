/** Types for `llm_guardrail` (the package ships none), from its README and index.js. */
declare module 'llm_guardrail' {
  export interface CheckResult {
    allowed: boolean;
    detected: boolean;
    prediction: 0 | 1;
    /** The positive (threat) class probability. */
    confidence: number;
    probabilities: { safe: number; threat: number };
  }
  export function checkInjection(prompt: string): Promise<CheckResult>;
  export function checkJailbreak(prompt: string): Promise<CheckResult>;
  export function checkMalicious(prompt: string): Promise<CheckResult>;
}
