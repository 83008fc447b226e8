import { LitElement } from 'lit';
import type { Guard } from '../guard.js';
import type { Policy } from '../policy/policy.js';
import type { GuardOptions } from '../guard-options.js';
import type { BackendRequest } from '../types.js';
import type { JudgeProvider } from '../worker/judge-link.js';
import { modelSourceOf } from './model-attribute.js';

/** A preset name (attribute) or a Policy object (property). */
export type PolicyChoice = Policy | 'strict' | 'balanced' | 'permissive';

/**
 * What every element of the package that uses a guard takes: its own `guard`, or the page's
 * shared one for `model`, `backend` and `policy` (one worker and one copy of the model per
 * set of the three, however many elements ask), with `judge` when the policy needs one.
 */
export abstract class GuardSourceElement extends LitElement {
  static override properties = {
    model: { type: String },
    backend: { type: String },
    policy: { attribute: 'policy' },
    guard: { attribute: false },
    judge: { attribute: false },
  };

  /**
   * The safety model (the guard's classifier, not a chat model): empty for the default shipped
   * model, a shipped name (`guard-use-lite`), `hub:org/name[@revision]`, or a folder URL.
   */
  declare model: string;
  /** `auto` (default), `wasm` or `webgpu`. */
  declare backend: BackendRequest;
  /** A preset name (attribute) or a Policy object (property); default `balanced`. Ignored when `guard` is given. */
  declare policy: PolicyChoice;
  /** A Guard to use instead of the shared one: give one to several elements to share it. */
  declare guard: Guard | undefined;
  /**
   * The guard LLM for a policy with an llm second review (`import { judge } from
   * 'guarded-chat/judge'`), passed to the shared guard. Ignored when `guard` is given.
   */
  declare judge: JudgeProvider | undefined;

  constructor() {
    super();
    this.model = '';
    this.backend = 'auto';
    this.policy = 'balanced';
    this.guard = undefined;
    this.judge = undefined;
  }

  /** The options of the page's shared guard this element uses when it has no `guard`. */
  protected get sharedGuardOptions(): GuardOptions {
    return { model: modelSourceOf(this.model), backend: this.backend, policy: this.policy, ...(this.judge ? { judge: this.judge } : {}) };
  }
}
