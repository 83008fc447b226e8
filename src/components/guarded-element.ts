import type { PropertyValues } from 'lit';
import type { Guard } from '../guard.js';
import { POLICY_PRESETS } from '../policy/presets.js';
import type { Verdict } from '../policy/verdict.js';
import type { LoadProgress } from '../types.js';
import type { GuardProgressDetail, GuardReadyDetail, GuardVerdictDetail } from './guard-events.js';
import { GuardSourceElement } from './guard-source-element.js';
import { sharedGuard, watchSharedGuard } from './shared-guard.js';

export type { PolicyChoice } from './guard-source-element.js';

/** What a screen came to, after the page had its say through the cancelable `guard-verdict`. */
export type ScreenOutcome =
  | { kind: 'verdict'; verdict: Verdict }
  /** The page called `preventDefault()` on `guard-verdict`: it takes the text as it is. */
  | { kind: 'overridden'; verdict: Verdict }
  /** The guard could not screen (no guard, or `screen()` rejected); `failOpen` is the policy's failure mode. */
  | { kind: 'failed'; error: unknown; failOpen: boolean }
  /** The caller cancelled the screen (its `signal` aborted): there is no verdict, and nothing failed. */
  | { kind: 'cancelled' };

/**
 * What `<guarded-chat>`, `<guarded-input>` and `<guarded-output>` share: which Guard to use
 * (their own `guard`, or the page's shared one for `model`/`backend`/`policy`), and the events
 * every guarded component fires, with the same names and detail types.
 */
export abstract class GuardedElement extends GuardSourceElement {
  static override properties = {
    ...GuardSourceElement.properties,
    conversation: { type: String },
  };

  /** The conversation id the guard tracks turns under; give an input and an output the same one to tie them. */
  declare conversation: string;

  /** Settles with the guard in use once it is loaded; screens wait on it. */
  private guardReady: Promise<Guard> | null = null;
  private loadedGuard: Guard | undefined = undefined;

  constructor() {
    super();
    this.conversation = '';
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('guard') || changed.has('model') || changed.has('backend') || changed.has('policy') || changed.has('judge')) this.connectGuard();
  }

  private connectGuard(): void {
    const given = this.guard;
    this.loadedGuard = undefined;
    if (given) {
      // Already loaded: ready within this update, so the first render already shows it.
      this.guardReady = Promise.resolve(given);
      this.guardLoaded(given);
      return;
    }
    const options = this.sharedGuardOptions;
    // Said before watching: joining a load in flight replays its last progress at once, which `loading` must not overwrite.
    this.onGuardState('loading');
    const loading = sharedGuard(options);
    this.guardReady = loading;
    // The shared load's download, a load another component started included.
    const stopWatching = watchSharedGuard(options, {
      progress: (progress) => {
        if (this.guardReady !== loading) return;
        this.onGuardProgress(progress);
        this.emit('guard-progress', progress satisfies GuardProgressDetail);
      },
    });
    loading.then(
      (guard) => {
        stopWatching();
        if (this.guardReady === loading) this.guardLoaded(guard); // else superseded by a later change
      },
      (error: unknown) => {
        stopWatching();
        if (this.guardReady !== loading) return;
        this.onGuardState('error', error);
        this.emit('guard-error', this.guardErrorDetail(error));
      },
    );
  }

  private guardLoaded(guard: Guard): void {
    this.loadedGuard = guard;
    this.onGuardState('ready');
    this.emit('guard-ready', { backend: guard.backend, cache: guard.cache } satisfies GuardReadyDetail);
  }

  /** The Guard in use once it has loaded: `guard` when given, else the one shared on the page for the same model, backend and policy. */
  get activeGuard(): Guard | undefined {
    return this.loadedGuard;
  }

  /**
   * Lets a subclass show the guard's state (`loading`, `ready`, `error`). `error`
   * comes with why the load failed, for a subclass that shows it (`<guarded-chat>` does).
   */
  protected abstract onGuardState(state: 'loading' | 'ready' | 'error', error?: unknown): void;

  /** Called with each download progress before `guard-progress` fires: a hook for a subclass that shows the percentage (`<guarded-chat>`). */
  protected onGuardProgress(_progress: LoadProgress): void {}

  /**
   * The `detail` of `guard-error` when the guard fails. A hook because `<guarded-chat>` adds
   * `source: 'guard'` to it: its replies can fail too, and its listeners tell the two apart.
   */
  protected guardErrorDetail(error: unknown): { error: unknown } {
    return { error };
  }

  /** Fires a typed, bubbling, composed event; returns false when a cancelable one was cancelled. */
  protected emit(type: string, detail: unknown, cancelable = false): boolean {
    return this.dispatchEvent(new CustomEvent(type, { detail, bubbles: true, composed: true, cancelable }));
  }

  /** The policy's failure mode, from the guard when there is one, else from the `policy` property. */
  protected failsOpen(): boolean {
    const policy = this.loadedGuard?.policy ?? (typeof this.policy === 'string' ? POLICY_PRESETS[this.policy] : this.policy);
    return policy?.failureMode === 'open';
  }

  /**
   * Screens `text` (waiting for the guard to load if needed), fires `guard-verdict` (cancelable)
   * and, for a block the page let stand, `guard-blocked`. Never throws: a failure is reported
   * through `guard-error` and returned with the policy's failure mode (`overloaded` always fails
   * closed). `signal` cancels it (the outcome is then `cancelled`, with no event); `replyTo` is
   * the prompt a reply answers.
   */
  protected async screenText(direction: 'input' | 'output', text: string, { signal, replyTo }: { signal?: AbortSignal; replyTo?: string | undefined } = {}): Promise<ScreenOutcome> {
    let verdict: Verdict;
    try {
      if (!this.guardReady) throw new Error('no guard: set the model attribute or the guard property');
      const guard = await this.guardReady;
      verdict = await guard.screen(text, {
        direction,
        ...(this.conversation ? { conversation: this.conversation } : {}),
        ...(signal ? { signal } : {}),
        ...(replyTo !== undefined ? { replyTo } : {}),
      });
    } catch (error) {
      if (signal?.aborted) return { kind: 'cancelled' };
      this.emit('guard-error', this.guardErrorDetail(error));
      // A full queue is backpressure, not a broken guard: failing open on it would let whoever
      // floods the guard get text through unscreened. The text is kept; a retry can succeed.
      const overloaded = (error as { code?: unknown } | null)?.code === 'overloaded';
      return { kind: 'failed', error, failOpen: !overloaded && this.failsOpen() };
    }
    return this.announceVerdict(direction, text, verdict) ? { kind: 'verdict', verdict } : { kind: 'overridden', verdict };
  }

  /**
   * Fires `guard-verdict` and, for a block the page let stand, `guard-blocked`. Returns false
   * when the page cancelled `guard-verdict`. `cancelable` is false where the page gets no
   * override (`<guarded-chat>`'s replies).
   */
  protected announceVerdict(direction: 'input' | 'output', text: string, verdict: Verdict, cancelable = true): boolean {
    const detail: GuardVerdictDetail = { direction, text, verdict };
    if (!this.emit('guard-verdict', detail, cancelable)) return false;
    if (verdict.action === 'block') this.emit('guard-blocked', detail);
    return true;
  }
}

/** A short label for an error in a notice: its `GuardError` code where it has one. */
export function errorLabel(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string') return code;
  return error instanceof Error ? error.message : String(error);
}
