/**
 * The `detail` types of the events every guarded component fires (`GuardedElement` fires them;
 * `<guard-status>` uses the same shapes), kept apart so no component module owns the others' contract.
 */
import type { Verdict } from '../policy/verdict.js';
import type { BackendInfo, CacheReport, LoadProgress } from '../types.js';

/** `detail` of `guard-verdict` and `guard-blocked`. */
export interface GuardVerdictDetail {
  direction: 'input' | 'output';
  text: string;
  verdict: Verdict;
}

/** `detail` of `guard-progress`: the model download, per file and overall. */
export type GuardProgressDetail = LoadProgress;

/** `detail` of `guard-ready`. */
export interface GuardReadyDetail {
  /** Which backend runs the model, and why. */
  backend: BackendInfo;
  /** Where the model's files came from on this load (absent for a `guard` given by the page). */
  cache: CacheReport;
}
