import { html, nothing } from 'lit';
import { ACTIONS, type Action } from '../../policy/policy.js';
import type { Verdict } from '../../policy/verdict.js';
import { BURST_LOOK_BACK, sentenceWindows } from '../../screen/look-back.js';
import { errorLabel, GuardedElement, type ScreenOutcome } from '../guarded-element.js';
import { guardedOutputStyles } from './guarded-output.styles.js';
import { EMPTY_RECORD, maskedSpans, originalOf, planMaskEdits, type Mask, type ReplyRecord, type TextEdit } from './reply-masks.js';
import { replaceAllText, replaceTextRange } from './text-nodes.js';

/** The UI strings of `<guarded-output>`; set any of them through the `strings` property. */
export interface GuardedOutputStrings {
  loading: string;
  unavailable: string;
  /** Shown in place of a withheld reply; `blockMessage` is the policy's. */
  withheld: (blockMessage: string, reason: string) => string;
  /** Announced when a reply is withheld. */
  blocked: (reason: string) => string;
  redacted: (reason: string) => string;
  warned: (reason: string) => string;
  /** Shown in place of the reply when the guard could not screen it and the policy fails closed. */
  failedClosed: (error: string) => string;
  failedOpen: (error: string) => string;
}

export const DEFAULT_GUARDED_OUTPUT_STRINGS: Readonly<GuardedOutputStrings> = {
  loading: 'Loading the safety model…',
  unavailable: 'The safety model could not be loaded.',
  withheld: (blockMessage) => blockMessage,
  blocked: (reason) => `Reply withheld. ${reason}`,
  redacted: (reason) => `Parts of this reply are masked. ${reason}`,
  warned: (reason) => reason,
  failedClosed: (error) => `This reply was withheld: the guard could not check it (${error}).`,
  failedOpen: (error) => `Shown unchecked: the guard could not check this reply (${error}).`,
};

const DEFAULT_BLOCK_MESSAGE = 'This message was withheld by the on-device guard.';
const severity = (action: Action | '') => (action ? ACTIONS.indexOf(action) : -1);

/**
 * Wraps the element a page streams a model's reply into, and screens the reply on this device
 * as it grows: a MutationObserver notices each change, and changes that arrive while a screen
 * runs are screened together. Each sentence completed since the last screen is screened in the
 * look-back window that ends with it (as `<guarded-chat>` does), so a harmful sentence that
 * arrives in one burst with a long benign tail is judged before the tail can dilute it; then
 * the whole reply so far (never the same text twice). Per the verdict: `redact` masks the spans in the page's element (editing
 * its text nodes only, so its markup stays); `block` replaces the reply with the policy's
 * block message, and the reply stays withheld while the page keeps writing, until the page
 * empties the element (a new reply) or calls `reset()`. The original text is not left in the
 * DOM: it is in the `detail.text` of `guard-verdict` and `guard-blocked`. Nothing from the
 * reply is ever parsed as HTML by this element.
 *
 * Text shows as the page writes it and is masked or withheld when its verdict arrives (a few
 * milliseconds on WASM): listen for `guard-blocked` to stop the stream at its source.
 *
 * @slot - the page's reply element
 *
 * @event guard-progress - the safety model is downloading or being read from the cache (a load another component started included); detail: `GuardProgressDetail`.
 * @event guard-ready - the model is loaded; detail: `GuardReadyDetail` (`backend`, `cache`).
 * @event guard-verdict - the reply so far was screened; detail: `GuardVerdictDetail` (`text` is the original).
 *   Cancelable: `preventDefault()` leaves the reply as it is (a page-level override).
 * @event guard-blocked - the reply was withheld; detail: `GuardVerdictDetail` (`text` is the original).
 * @event guard-error - the guard could not load or screen; `detail.error`.
 *
 * @csspart content - the wrapper around the slotted reply (hidden while it is withheld)
 * @csspart withheld - the text shown in place of a withheld reply
 * @csspart notice - the status / reason line (an ARIA live region, with reserved height)
 *
 * @cssprop --guarded-output-blocked-color, --guarded-output-warn-color, --guarded-output-withheld-bg
 * @cssprop --guarded-output-notice-height, --guarded-output-notice-font-size, --guarded-output-font
 *
 * @tagname guarded-output
 */
export class GuardedOutput extends GuardedElement {
  static override styles = guardedOutputStyles;

  static override properties = {
    ...GuardedElement.properties,
    strings: { attribute: false },
    replyTo: { attribute: false },
    notice: { state: true },
    withheldText: { state: true },
    verdict: { reflect: true, converter: { toAttribute: (v: string) => v || null } },
  };

  /** UI strings to replace (i18n); the rest keep their defaults (`DEFAULT_GUARDED_OUTPUT_STRINGS`). */
  declare strings: Partial<GuardedOutputStrings>;
  /** The prompt this reply answers, when the page knows it: a guard LLM's second review judges the reply in its context. */
  declare replyTo: string | undefined;
  declare notice: string;
  /** The most severe action taken on the current reply, reflected for styling; empty before any. */
  declare verdict: Action | '';
  /** What shows in place of the reply while it is withheld; empty when it is not. */
  declare private withheldText: string;

  private record: ReplyRecord = { ...EMPTY_RECORD };
  private lastScreened = '';
  /** The part of the current reply whose sentences have had their look-back screens. */
  private sentencesScreened = '';
  private screening = false;
  private readonly observer = new MutationObserver(() => this.onMutation());

  constructor() {
    super();
    this.strings = {};
    this.replyTo = undefined;
    this.notice = '';
    this.verdict = '';
    this.withheldText = '';
  }

  private get text(): GuardedOutputStrings {
    return { ...DEFAULT_GUARDED_OUTPUT_STRINGS, ...this.strings };
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.observer.observe(this, { childList: true, characterData: true, subtree: true });
    this.onMutation();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.observer.disconnect();
  }

  protected onGuardState(state: 'loading' | 'ready' | 'error'): void {
    const t = this.text;
    this.notice = state === 'loading' ? t.loading : state === 'error' ? t.unavailable : '';
  }

  /** Forgets the current reply (its masks, its withheld state): the next text is a new reply. The DOM is left as it is. */
  reset(): void {
    this.record = { ...EMPTY_RECORD };
    this.lastScreened = '';
    this.sentencesScreened = '';
    this.withheldText = '';
    this.verdict = '';
    this.notice = '';
  }

  private currentText(): string {
    return this.textContent ?? '';
  }

  private onMutation(): void {
    const current = this.currentText();
    if (current === this.record.shown) return; // unchanged since our own last edit
    if (current === '') {
      this.reset(); // the page emptied its element: a new reply follows
      return;
    }
    const { original, rewritten } = originalOf(this.record, current);
    if (this.withheldText) {
      // Withheld stays withheld: what the page adds is taken out before it can paint.
      this.withhold(original);
      return;
    }
    if (rewritten && this.record.masks.length > 0 && current.startsWith(this.record.original)) {
      // The page re-rendered the reply from its own buffer: the masks it wiped go back before it can paint.
      const masks = this.record.masks;
      this.record = { original: current, shown: current, masks: [] };
      this.applyMasks(planMaskEdits([], masks).edits, masks, current);
    }
    if (!this.screening) void this.screenLoop();
  }

  /** Screens the reply so far until it stops changing; changes during a screen join the next one. */
  private async screenLoop(): Promise<void> {
    this.screening = true;
    try {
      // Lets a burst of writes made in one go land before the first screen.
      await new Promise((resolve) => setTimeout(resolve, 0));
      for (;;) {
        if (this.withheldText) break;
        const { original } = originalOf(this.record, this.currentText());
        if (!original.trim() || original === this.lastScreened) break;
        this.lastScreened = original;
        // The page rewrote the reply: its sentences are screened afresh.
        if (!original.startsWith(this.sentencesScreened)) this.sentencesScreened = '';
        let lastWindow = '';
        let current = true;
        // A short look-back each (a page may set a long reply at once); the whole-reply screen below judges the longer context.
        for (const window of sentenceWindows(original, this.sentencesScreened.length, BURST_LOOK_BACK)) {
          this.sentencesScreened = original.slice(0, window.end);
          lastWindow = window.text;
          const upTo = original.slice(0, window.start + window.text.length);
          current = this.follow(await this.screenText('output', window.text, { replyTo: this.replyTo }), upTo, window.start);
          if (!current || this.withheldText) break;
        }
        if (!current || this.withheldText) continue;
        if (lastWindow !== original) this.follow(await this.screenText('output', original, { replyTo: this.replyTo }), original, 0);
      }
    } finally {
      this.screening = false;
    }
  }

  /**
   * Acts on the verdict about `screened` (a prefix of the reply, or a window ending where it
   * ends, starting at `offset` in the reply). Returns false when the page replaced the reply
   * meanwhile: the verdict is about text that is gone, and the loop screens the new text.
   */
  private follow(outcome: ScreenOutcome, screened: string, offset: number): boolean {
    const current = this.currentText();
    const { original, rewritten } = originalOf(this.record, current);
    if (rewritten) this.record = { original: current, shown: current, masks: [] };
    if (!original.startsWith(screened)) return false;
    const t = this.text;
    if (outcome.kind === 'failed') {
      const error = errorLabel(outcome.error);
      if (outcome.failOpen) this.escalate('warn', t.failedOpen(error));
      else {
        this.withheldText = t.failedClosed(error);
        this.withhold(original);
        this.escalate('block', this.withheldText);
      }
      return true;
    }
    // A reply's screens are never cancelled; `cancelled` would mean nothing to decide.
    if (outcome.kind === 'overridden' || outcome.kind === 'cancelled') return true;
    const { verdict } = outcome;
    if (verdict.action === 'block') {
      this.withheldText = t.withheld(this.activeGuard?.policy.blockMessage ?? DEFAULT_BLOCK_MESSAGE, verdict.reason);
      this.withhold(original);
      this.escalate('block', t.blocked(verdict.reason));
    } else if (verdict.action === 'redact') {
      this.mask(verdict, original, offset);
      this.escalate('redact', t.redacted(verdict.reason));
    } else if (verdict.action === 'warn') {
      this.escalate('warn', t.warned(verdict.reason));
    } else {
      this.escalate('allow', '');
    }
    return true;
  }

  /** Raises the reply's state to `action` (never lowers it: a masked reply stays masked) and announces it. */
  private escalate(action: Action, notice: string): void {
    if (severity(action) < severity(this.verdict)) return;
    this.verdict = action;
    this.notice = notice;
  }

  /** Masks the verdict's redacted spans (found `offset` characters into the reply) that are not masked yet, in the page's text nodes. */
  private mask(verdict: Verdict, original: string, offset: number): void {
    const spans = maskedSpans(verdict).map((m) => ({ ...m, start: m.start + offset, end: m.end + offset }));
    const { edits, masks } = planMaskEdits(this.record.masks, spans);
    this.applyMasks(edits, masks, original);
  }

  private applyMasks(edits: readonly TextEdit[], masks: Mask[], original: string): void {
    if (edits.length === 0) return;
    for (const edit of edits) replaceTextRange(this, edit);
    this.record = { original, shown: this.currentText(), masks };
    this.observer.takeRecords(); // our own edits are not new text
  }

  /** Puts the withheld text in place of the reply in the page's element; the original stays only in the record. */
  private withhold(original: string): void {
    replaceAllText(this, this.withheldText);
    this.record = { original, shown: this.currentText(), masks: [] };
    this.observer.takeRecords();
  }

  protected override render() {
    const withheld = this.withheldText !== '';
    return html`
      <div part="content" ?hidden=${withheld}><slot></slot></div>
      ${withheld ? html`<p part="withheld">${this.withheldText}</p>` : nothing}
      <p part="notice" role="status" aria-live="polite">${this.notice}</p>
    `;
  }
}
