import { html } from 'lit';
import type { Action } from '../../policy/policy.js';
import { errorLabel, GuardedElement, type ScreenOutcome } from '../guarded-element.js';
import { guardedInputStyles } from './guarded-input.styles.js';

/** The UI strings of `<guarded-input>`; set any of them through the `strings` property. */
export interface GuardedInputStrings {
  loading: string;
  unavailable: string;
  screening: string;
  blocked: (reason: string) => string;
  warned: (reason: string) => string;
  /** The label of the button that sends a warned text anyway. */
  confirm: string;
  redacted: (reason: string) => string;
  /** The text was edited while it was being checked: nothing was sent. */
  changed: string;
  failedClosed: (error: string) => string;
  failedOpen: (error: string) => string;
}

export const DEFAULT_GUARDED_INPUT_STRINGS: Readonly<GuardedInputStrings> = {
  loading: 'Loading the safety model…',
  unavailable: 'The safety model could not be loaded.',
  screening: 'Checking your message on this device…',
  blocked: (reason) => `Not sent. ${reason} Your text is still in the field.`,
  warned: (reason) => `${reason} Submit again to send it anyway.`,
  confirm: 'Send anyway',
  redacted: (reason) => `Sent with personal data redacted. ${reason}`,
  changed: 'Your text changed while it was being checked: nothing was sent. Submit again.',
  failedClosed: (error) => `Not sent: the guard could not check it (${error}). Your text is still in the field.`,
  failedOpen: (error) => `Sent unchecked: the guard could not check it (${error}).`,
};

/** The page's own text field. */
type Field = HTMLTextAreaElement | HTMLInputElement;

/** How the user asked to submit; replayed once the text is let through. */
type Trigger =
  | { kind: 'submit'; form: HTMLFormElement; submitter: HTMLElement | null }
  | { kind: 'click'; button: HTMLElement }
  | { kind: 'enter'; field: Field };

const FIELD_SELECTOR = 'textarea, input:not([type]), input[type=text], input[type=search], input[type=email], input[type=url], input[type=tel]';
const BUTTON_SELECTOR = 'button, input[type=submit], input[type=button]';

let nextConversation = 0;

/**
 * Wraps a page's own `<textarea>`/`<input>` (and its `<form>` and send button, slotted or
 * around it) and screens the text on this device before it is submitted. It intercepts a
 * submit (a form's submit, a send button's click, Enter in the field; Shift+Enter in a
 * textarea stays a newline), screens the field's value, then per the verdict: `allow` lets the
 * submit through; `warn` asks to confirm (submitting again, or the Send anyway button, sends
 * it); `block` stops it and keeps the text in the field; `redact` puts the redacted text into
 * the field and submits that. When the guard fails, the policy's failure mode decides. The
 * user's text is never cleared by this element.
 *
 * Which buttons count as send buttons: every `<button>` and `input[type=submit|button]` inside
 * the element, except `type="reset"` ones and those marked `data-guard-skip`. A submit button
 * of a form is screened through the form's submit event.
 *
 * @slot - the page's field, and optionally its form and send button
 *
 * @event guard-progress - the safety model is downloading or being read from the cache (a load another component started included); detail: `GuardProgressDetail`.
 * @event guard-ready - the model is loaded; detail: `GuardReadyDetail` (`backend`, `cache`).
 * @event guard-verdict - the text was screened; detail: `GuardVerdictDetail`. Cancelable:
 *   `preventDefault()` lets the submit through unchanged (a page-level override).
 * @event guard-blocked - a submit was blocked; detail: `GuardVerdictDetail`.
 * @event guard-error - the guard could not load or screen; `detail.error` (a `GuardError` where it came from the guard).
 *
 * @csspart field - the wrapper around the slotted content
 * @csspart notice-row - the reserved line under it: the notice and the confirm button
 * @csspart notice - the status / reason text (an ARIA live region)
 * @csspart confirm - the Send anyway button, shown on a warning
 *
 * @cssprop --guarded-input-blocked-color, --guarded-input-warn-color, --guarded-input-focus-color
 * @cssprop --guarded-input-notice-height, --guarded-input-notice-font-size, --guarded-input-font
 *
 * @tagname guarded-input
 */
export class GuardedInput extends GuardedElement {
  static override styles = guardedInputStyles;

  static override properties = {
    ...GuardedElement.properties,
    strings: { attribute: false },
    notice: { state: true },
    warned: { state: true },
    verdict: { reflect: true, converter: { toAttribute: (v: string) => v || null } },
  };

  /** UI strings to replace (i18n); the rest keep their defaults (`DEFAULT_GUARDED_INPUT_STRINGS`). */
  declare strings: Partial<GuardedInputStrings>;
  declare notice: string;
  /** The last screen's action, reflected for styling (`:host([verdict=block])`); empty before any. */
  declare verdict: Action | '';

  private busy = false;
  /** The screen in flight and its text: editing the field cancels it (and its second review). */
  private screening: { text: string; controller: AbortController } | null = null;
  /** While a let-through submit is replayed: our own listeners stand aside. */
  private passing = false;
  /** The text the user was warned about, and how they submitted it: submitting it again confirms. */
  declare private warned: { text: string; trigger: Trigger } | null;

  constructor() {
    super();
    this.strings = {};
    this.notice = '';
    this.verdict = '';
    this.warned = null;
    this.conversation = `guarded-input-${++nextConversation}`;
  }

  private get text(): GuardedInputStrings {
    return { ...DEFAULT_GUARDED_INPUT_STRINGS, ...this.strings };
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.addEventListener('keydown', this.onKeydown, true);
    this.addEventListener('click', this.onClick, true);
    this.addEventListener('input', this.onInput);
    // On the window, in the capture phase: the form may be around this element, not inside it,
    // and the page's own submit handlers must not run before the text is screened.
    window.addEventListener('submit', this.onSubmit, true);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.removeEventListener('keydown', this.onKeydown, true);
    this.removeEventListener('click', this.onClick, true);
    this.removeEventListener('input', this.onInput);
    window.removeEventListener('submit', this.onSubmit, true);
  }

  protected onGuardState(state: 'loading' | 'ready' | 'error'): void {
    const t = this.text;
    this.notice = state === 'loading' ? t.loading : state === 'error' ? t.unavailable : '';
  }

  /** The page's text field: the first text input or textarea inside this element. */
  get field(): Field | null {
    return this.querySelector<Field>(FIELD_SELECTOR);
  }

  /** The form that submits the field: its owner, or a form inside this element. */
  get form(): HTMLFormElement | null {
    return this.field?.form ?? this.querySelector('form');
  }

  private readonly onSubmit = (event: SubmitEvent): void => {
    const form = this.form;
    if (this.passing || !form || event.target !== form) return;
    event.preventDefault();
    event.stopImmediatePropagation();
    void this.intercept({ kind: 'submit', form, submitter: event.submitter });
  };

  private readonly onClick = (event: MouseEvent): void => {
    if (this.passing) return;
    const button = (event.target as Element | null)?.closest?.(BUTTON_SELECTOR) as HTMLButtonElement | HTMLInputElement | null;
    if (!button || !this.contains(button) || button.disabled || button.type === 'reset' || button.hasAttribute('data-guard-skip')) return;
    // A form's submit button is screened through the form's submit event (which keeps its submitter).
    if (button.form && button.type === 'submit') return;
    event.preventDefault();
    event.stopImmediatePropagation();
    void this.intercept({ kind: 'click', button });
  };

  private readonly onKeydown = (event: KeyboardEvent): void => {
    if (this.passing || event.key !== 'Enter' || event.shiftKey || event.altKey || event.isComposing) return;
    const field = this.field;
    if (!field || event.composedPath()[0] !== field) return;
    event.preventDefault();
    event.stopImmediatePropagation();
    void this.intercept({ kind: 'enter', field });
  };

  private readonly onInput = (): void => {
    // Editing the text while it is screened cancels that screen: its verdict would be about a text no longer there.
    if (this.screening && this.field?.value !== this.screening.text) this.screening.controller.abort();
    // Editing a warned text withdraws the warning: the new text is screened afresh.
    if (this.warned && this.field?.value !== this.warned.text) {
      this.warned = null;
      this.verdict = '';
      this.notice = '';
    }
  };

  /** Screens the field's text, then lets the submit through, or not, per the verdict. */
  private async intercept(trigger: Trigger): Promise<void> {
    if (this.busy) return; // a submit is already being screened; this one is dropped
    const field = this.field;
    const text = field?.value ?? '';
    if (!field || !text.trim()) {
      this.replay(trigger); // nothing to screen: the page decides what an empty submit means
      return;
    }
    if (this.warned?.text === text) {
      this.sendWarned(trigger); // submitting a warned text again, unchanged, confirms it
      return;
    }
    this.busy = true;
    this.warned = null;
    this.notice = this.text.screening;
    let outcome: ScreenOutcome;
    const controller = new AbortController();
    this.screening = { text, controller };
    try {
      outcome = await this.screenText('input', text, { signal: controller.signal });
    } finally {
      this.busy = false;
      this.screening = null;
    }
    if (field.value !== text || outcome.kind === 'cancelled') {
      this.verdict = '';
      this.notice = this.text.changed;
      return;
    }
    this.follow(outcome, trigger, field, text);
  }

  private follow(outcome: ScreenOutcome, trigger: Trigger, field: Field, text: string): void {
    const t = this.text;
    if (outcome.kind === 'failed') {
      const error = errorLabel(outcome.error);
      this.verdict = outcome.failOpen ? 'warn' : 'block';
      this.notice = outcome.failOpen ? t.failedOpen(error) : t.failedClosed(error);
      if (outcome.failOpen) this.replay(trigger);
      return;
    }
    if (outcome.kind === 'cancelled') return; // the caller already said the text changed
    const { verdict } = outcome;
    this.verdict = outcome.kind === 'overridden' ? '' : verdict.action;
    if (outcome.kind === 'overridden' || verdict.action === 'allow') {
      this.notice = '';
      this.replay(trigger);
    } else if (verdict.action === 'warn') {
      this.warned = { text, trigger };
      this.notice = t.warned(verdict.reason);
    } else if (verdict.action === 'block') {
      this.notice = t.blocked(verdict.reason);
    } else if (verdict.action === 'redact' && verdict.redactedText !== undefined) {
      setFieldValue(field, verdict.redactedText);
      this.notice = t.redacted(verdict.reason);
      this.replay(trigger);
    } else {
      // `redact` with nothing to redact cannot be judged safely: treat it as a block.
      this.verdict = 'block';
      this.notice = t.blocked(verdict.reason);
    }
  }

  /** Sends the text the user was warned about, as it is (what the Send anyway button does). */
  confirmWarned(): void {
    if (this.warned) this.sendWarned(this.warned.trigger);
  }

  /** Sends the warned text, submitted the way `trigger` says, unless it was edited since. */
  private sendWarned(trigger: Trigger): void {
    if (!this.warned || this.field?.value !== this.warned.text) return;
    this.warned = null;
    this.notice = '';
    this.replay(trigger);
  }

  /** Repeats the user's submit with our listeners standing aside, so it is not screened twice. */
  private replay(trigger: Trigger): void {
    this.passing = true;
    try {
      if (trigger.kind === 'submit') {
        const { form, submitter } = trigger;
        const ownSubmitter = submitter && (submitter as HTMLButtonElement).form === form ? submitter : null;
        form.requestSubmit(ownSubmitter);
      } else if (trigger.kind === 'click') {
        trigger.button.click();
      } else {
        // The page's own Enter handler (if any) gets the key; if none took it, Enter submits.
        const key = new KeyboardEvent('keydown', { key: 'Enter', code: 'Enter', bubbles: true, cancelable: true, composed: true });
        if (trigger.field.dispatchEvent(key)) {
          const form = trigger.field.form;
          if (form) form.requestSubmit();
          else this.sendButton()?.click();
        }
      }
    } finally {
      this.passing = false;
    }
  }

  /** The send button when there is no form: the first button inside this element that counts as one. */
  private sendButton(): HTMLElement | null {
    for (const b of this.querySelectorAll<HTMLButtonElement | HTMLInputElement>(BUTTON_SELECTOR)) {
      if (!b.disabled && b.type !== 'reset' && !b.hasAttribute('data-guard-skip')) return b;
    }
    return null;
  }

  protected override render() {
    const warned = this.warned !== null;
    return html`
      <div part="field"><slot></slot></div>
      <div part="notice-row">
        <p part="notice" role="status" aria-live="polite">${this.notice}</p>
        <button part="confirm" type="button" data-shown=${String(warned)} ?disabled=${!warned} @click=${() => this.confirmWarned()}>
          ${this.text.confirm}
        </button>
      </div>
    `;
  }
}

/**
 * Sets a field's value the way typing would: through the element type's own `value` setter,
 * which frameworks that track values on the instance (React) do not intercept, then an `input`
 * event so their state follows.
 */
function setFieldValue(field: Field, value: string): void {
  const proto = field instanceof HTMLTextAreaElement ? HTMLTextAreaElement.prototype : HTMLInputElement.prototype;
  Object.getOwnPropertyDescriptor(proto, 'value')?.set?.call(field, value);
  field.dispatchEvent(new Event('input', { bubbles: true }));
}
