import { html, LitElement, type PropertyValues } from 'lit';
import { GuardError } from '../../errors.js';
import type { Guard } from '../../guard.js';
import { decideByThreshold, type Decision } from '../../policy/threshold-decision.js';
import type { BackendRequest, ScreenResult } from '../../types.js';
import { sharedGuard } from '../shared-guard.js';
import { demoResponder, type ChatHandler, type ChatMessage } from './demo-responder.js';
import { guardedChatStyles } from './guarded-chat.styles.js';

/** A message in the log, with the decision that let it through (or withheld it). */
interface LoggedMessage extends ChatMessage {
  withheld?: boolean;
}

/** `detail` of `guard-verdict`: every screen, input or output. */
export interface GuardVerdictDetail {
  direction: 'input' | 'output';
  result: ScreenResult;
  decision: Decision;
}

type Phase = 'loading' | 'ready' | 'screening' | 'replying' | 'error';

/** Replies are re-screened when a sentence ends, so harm is caught within one sentence. */
const SENTENCE_END = /[.!?\n]\s*$/;

/**
 * A complete chat whose every prompt is screened on this device before it is sent, and whose
 * replies are screened as they stream in. A blocked prompt stays in the composer.
 *
 * @event guard-ready - the model is loaded; `detail.backend` says which backend runs it.
 * @event guard-verdict - a prompt or reply was screened; detail: `GuardVerdictDetail`.
 * @event guard-blocked - a prompt or reply was blocked; detail: `GuardVerdictDetail`.
 * @event guard-error - the guard could not load or screen; `detail.error` is a `GuardError`.
 *
 * @csspart log - the message list
 * @csspart message - each message; also `user` or `assistant`, and `withheld` when blocked
 * @csspart composer - the prompt textarea
 * @csspart send - the send button
 * @csspart notice - the status / reason line (an ARIA live region)
 *
 * @cssprop --guarded-chat-border, --guarded-chat-radius, --guarded-chat-font
 * @cssprop --guarded-chat-user-bg, --guarded-chat-assistant-bg, --guarded-chat-blocked-color
 * @cssprop --guarded-chat-log-height
 */
export class GuardedChat extends LitElement {
  static override styles = guardedChatStyles;

  static override properties = {
    model: { type: String },
    backend: { type: String },
    threshold: { type: Number },
    systemPrompt: { type: String, attribute: 'system-prompt' },
    guard: { attribute: false },
    handler: { attribute: false },
    messages: { state: true },
    draft: { state: true },
    notice: { state: true },
    phase: { state: true },
  };

  /** URL of the model folder to load (shared with other components asking for the same). */
  declare model: string;
  /** `auto` (default), `wasm` or `webgpu`. */
  declare backend: BackendRequest;
  /** Block when any category's score reaches this (default 0.5). */
  declare threshold: number;
  /** Sent first to the handler, never shown. */
  declare systemPrompt: string;
  /** A Guard to use instead of loading `model`: share one across components. */
  declare guard: Guard | undefined;
  /** The chat backend; default: the built-in offline demo responder. */
  declare handler: ChatHandler;
  declare messages: LoggedMessage[];
  declare draft: string;
  declare notice: string;
  declare phase: Phase;

  private abort: AbortController | null = null;

  constructor() {
    super();
    this.model = '';
    this.backend = 'auto';
    this.threshold = 0.5;
    this.systemPrompt = '';
    this.guard = undefined;
    this.handler = demoResponder;
    this.messages = [];
    this.draft = '';
    this.notice = '';
    this.phase = 'loading';
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('guard') || changed.has('model') || changed.has('backend')) void this.connectGuard();
  }

  private async connectGuard(): Promise<void> {
    if (!this.guard && !this.model) {
      this.phase = 'loading';
      this.notice = 'No model: set the model attribute or the guard property.';
      return;
    }
    this.phase = 'loading';
    this.notice = 'Loading the safety model…';
    try {
      const guard = this.guard ?? (await sharedGuard({ model: { url: this.model }, backend: this.backend }));
      this.guard = guard;
      this.phase = 'ready';
      this.notice = `Screening on this device (${guard.backend.summary}).`;
      this.emit('guard-ready', { backend: guard.backend });
    } catch (error) {
      this.fail(error);
    }
  }

  private emit(type: string, detail: unknown): void {
    this.dispatchEvent(new CustomEvent(type, { detail, bubbles: true, composed: true }));
  }

  /** Shows and reports a failure; `phase` says whether the chat can go on ('ready') or not. */
  private fail(error: unknown, phase: Phase = 'error'): void {
    this.phase = phase;
    this.notice = `The guard failed${error instanceof GuardError ? ` (${error.code})` : ''}: ${error instanceof Error ? error.message : String(error)}`;
    this.emit('guard-error', { error });
  }

  private async screen(direction: 'input' | 'output', text: string): Promise<Decision> {
    const result = await this.guard!.screen(text);
    const decision = decideByThreshold(result, this.threshold);
    const detail: GuardVerdictDetail = { direction, result, decision };
    this.emit('guard-verdict', detail);
    if (decision.action === 'block') this.emit('guard-blocked', detail);
    return decision;
  }

  /** Screens the draft and, if allowed, sends it and streams the reply. */
  async send(): Promise<void> {
    const text = this.draft;
    if (!text.trim() || this.phase !== 'ready') return;
    this.phase = 'screening';
    let decision: Decision;
    try {
      decision = await this.screen('input', text);
    } catch (error) {
      // Fail closed: an unscreened prompt is not sent, and the draft stays where it was.
      this.fail(error, 'ready');
      return;
    }
    if (decision.action === 'block') {
      this.phase = 'ready';
      this.notice = `Not sent: ${decision.reason}. Your text is still in the box.`;
      return;
    }
    this.draft = '';
    this.messages = [...this.messages, { role: 'user', content: text }];
    await this.streamReply();
  }

  private async streamReply(): Promise<void> {
    this.phase = 'replying';
    this.notice = '';
    const history: ChatMessage[] = [
      ...(this.systemPrompt ? [{ role: 'system' as const, content: this.systemPrompt }] : []),
      ...this.messages.filter((m) => !m.withheld).map(({ role, content }) => ({ role, content })),
    ];
    const reply: LoggedMessage = { role: 'assistant', content: '' };
    this.messages = [...this.messages, reply];
    this.abort = new AbortController();
    const replace = (next: LoggedMessage) => {
      this.messages = this.messages.map((m) => (m === reply ? Object.assign(reply, next) : m));
    };
    try {
      let screenedUpTo = 0;
      for await (const piece of this.handler(history, this.abort.signal)) {
        replace({ ...reply, content: reply.content + piece });
        if (SENTENCE_END.test(reply.content)) {
          screenedUpTo = reply.content.length;
          const decision = await this.screen('output', reply.content);
          if (decision.action === 'block') {
            this.abort.abort();
            replace({ role: 'assistant', content: `Reply withheld: ${decision.reason}.`, withheld: true });
            break;
          }
        }
      }
      if (!reply.withheld && reply.content.length > screenedUpTo) {
        const decision = await this.screen('output', reply.content);
        if (decision.action === 'block') replace({ role: 'assistant', content: `Reply withheld: ${decision.reason}.`, withheld: true });
      }
      this.phase = 'ready';
    } catch (error) {
      replace({ role: 'assistant', content: `${reply.content}\n[reply incomplete]`, withheld: true });
      this.fail(error, 'ready');
    } finally {
      this.abort = null;
    }
  }

  /** Stops a streaming reply. */
  stop(): void {
    this.abort?.abort();
  }

  private onKeydown(event: KeyboardEvent): void {
    if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      void this.send();
    }
  }

  protected override render() {
    const busy = this.phase !== 'ready';
    return html`
      <ol part="log" aria-label="Conversation">
        ${this.messages.map(
          (m) => html`<li part="message ${m.role}${m.withheld ? ' withheld' : ''}">${m.content}</li>`,
        )}
      </ol>
      <form @submit=${(e: Event) => { e.preventDefault(); void this.send(); }}>
        <textarea
          part="composer"
          aria-label="Message"
          .value=${this.draft}
          @input=${(e: Event) => { this.draft = (e.target as HTMLTextAreaElement).value; }}
          @keydown=${this.onKeydown}
        ></textarea>
        ${this.phase === 'replying'
          ? html`<button part="send" type="button" @click=${this.stop}>Stop</button>`
          : html`<button part="send" type="submit" ?disabled=${busy}>Send</button>`}
      </form>
      <p part="notice" class=${this.notice.startsWith('Not sent') ? 'blocked' : ''} role="status" aria-live="polite">${this.notice}</p>
    `;
  }
}
