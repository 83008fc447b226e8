import { html, LitElement, type PropertyValues } from 'lit';
import { GuardError } from '../../errors.js';
import type { Guard } from '../../guard.js';
import type { Policy } from '../../policy/policy.js';
import type { Verdict } from '../../policy/verdict.js';
import { lookBackWindow, SENTENCE_END } from '../../screen/look-back.js';
import type { BackendRequest } from '../../types.js';
import { sharedGuard } from '../shared-guard.js';
import { demoResponder, type ChatHandler, type ChatMessage } from './demo-responder.js';
import { guardedChatStyles } from './guarded-chat.styles.js';

/** A message in the log, with what the guard did to it. */
interface LoggedMessage extends ChatMessage {
  /** `block`: withheld; `redact`: shown masked; `warn`: shown with a warning; `incomplete`: the stream failed. */
  mark?: 'withheld' | 'redacted' | 'warned' | 'incomplete';
}

/** `detail` of `guard-verdict` and `guard-blocked`. */
export interface GuardVerdictDetail {
  direction: 'input' | 'output';
  text: string;
  verdict: Verdict;
}

type Phase = 'loading' | 'ready' | 'screening' | 'replying' | 'error';
type PolicyChoice = Policy | 'strict' | 'balanced' | 'permissive';

let nextConversation = 0;

/**
 * A complete chat whose every prompt is screened on this device before it is sent, and whose
 * replies are screened as they stream in. The guard's verdict decides: `block` keeps the draft
 * in the composer with the reason; `warn` asks the user to send again to confirm; `redact`
 * sends the redacted text and says so. A blocked reply is stopped and replaced.
 *
 * @event guard-ready - the model is loaded; `detail.backend` says which backend runs it.
 * @event guard-verdict - a prompt or reply was screened; detail: `GuardVerdictDetail`. Cancelable:
 *   `preventDefault()` on an input verdict lets the prompt through unchanged (a page-level override).
 * @event guard-blocked - a prompt or reply was blocked; detail: `GuardVerdictDetail`.
 * @event guard-error - the guard could not load or screen; `detail.error` is a `GuardError`.
 *
 * @csspart log - the message list
 * @csspart message - each message; also `user` or `assistant`, and `withheld`, `redacted`, `warned` or `incomplete`
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
    policy: { attribute: 'policy' },
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
  /** A preset name (attribute) or a Policy object (property); default `balanced`. Ignored when `guard` is given. */
  declare policy: PolicyChoice;
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
  /** The draft the user was warned about: sending it again unchanged confirms. */
  private warnedDraft: string | null = null;
  private readonly conversation = `guarded-chat-${++nextConversation}`;

  constructor() {
    super();
    this.model = '';
    this.backend = 'auto';
    this.policy = 'balanced';
    this.systemPrompt = '';
    this.guard = undefined;
    this.handler = demoResponder;
    this.messages = [];
    this.draft = '';
    this.notice = '';
    this.phase = 'loading';
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('guard') || changed.has('model') || changed.has('backend') || changed.has('policy')) void this.connectGuard();
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
      const guard = this.guard ?? (await sharedGuard({ model: { url: this.model }, backend: this.backend, policy: this.policy }));
      this.guard = guard;
      this.phase = 'ready';
      this.notice = `Screening on this device (${guard.backend.summary}).`;
      this.emit('guard-ready', { backend: guard.backend });
    } catch (error) {
      this.fail(error);
    }
  }

  private emit(type: string, detail: unknown, cancelable = false): boolean {
    return this.dispatchEvent(new CustomEvent(type, { detail, bubbles: true, composed: true, cancelable }));
  }

  /** Shows and reports a failure; `phase` says whether the chat can go on ('ready') or not. */
  private fail(error: unknown, phase: Phase = 'error'): void {
    this.phase = phase;
    this.notice = `The guard failed${error instanceof GuardError ? ` (${error.code})` : ''}: ${error instanceof Error ? error.message : String(error)}`;
    this.emit('guard-error', { error });
  }

  /** Screens one text; returns the verdict, or null when the page overrode it (input only). */
  private async screen(direction: 'input' | 'output', text: string): Promise<Verdict | null> {
    const verdict = await this.guard!.screen(text, { direction, conversation: this.conversation });
    const detail: GuardVerdictDetail = { direction, text, verdict };
    const proceed = this.emit('guard-verdict', detail, direction === 'input');
    if (!proceed) return null;
    if (verdict.action === 'block') this.emit('guard-blocked', detail);
    return verdict;
  }

  /** Screens the draft and, if allowed, sends it and streams the reply. */
  async send(): Promise<void> {
    const text = this.draft;
    if (!text.trim() || this.phase !== 'ready') return;
    this.phase = 'screening';
    let verdict: Verdict | null;
    try {
      verdict = await this.screen('input', text);
    } catch (error) {
      // Fail closed: an unscreened prompt is not sent, and the draft stays where it was.
      this.fail(error, 'ready');
      return;
    }
    let outgoing = text;
    let mark: LoggedMessage['mark'];
    if (verdict?.action === 'block') {
      this.phase = 'ready';
      this.notice = `Not sent. ${verdict.reason} Your text is still in the box.`;
      return;
    }
    if (verdict?.action === 'warn' && this.warnedDraft !== text) {
      this.warnedDraft = text;
      this.phase = 'ready';
      this.notice = `${verdict.reason} Press Send again to send it anyway.`;
      return;
    }
    if (verdict?.action === 'redact' && verdict.redactedText !== undefined) {
      outgoing = verdict.redactedText;
      mark = 'redacted';
    }
    this.warnedDraft = null;
    this.draft = '';
    this.messages = [...this.messages, { role: 'user', content: outgoing, ...(mark ? { mark } : {}) }];
    await this.streamReply(mark === 'redacted' ? `Sent with personal data redacted: ${verdict!.reason}` : '');
  }

  private async streamReply(notice: string): Promise<void> {
    this.phase = 'replying';
    this.notice = notice;
    const history: ChatMessage[] = [
      ...(this.systemPrompt ? [{ role: 'system' as const, content: this.systemPrompt }] : []),
      ...this.messages.filter((m) => m.mark !== 'withheld').map(({ role, content }) => ({ role, content })),
    ];
    const reply: LoggedMessage = { role: 'assistant', content: '' };
    this.messages = [...this.messages, reply];
    this.abort = new AbortController();
    const update = (next: Partial<LoggedMessage>) => {
      Object.assign(reply, next);
      this.messages = [...this.messages];
    };
    let raw = '';
    // While streaming, each finished sentence is screened with a bounded look-back; at the end, the whole reply.
    const judge = async (whole: boolean): Promise<boolean> => {
      let verdict = (await this.screen('output', whole ? raw : lookBackWindow(raw)))!;
      // Redaction spans must be exact in the whole reply: re-screen it whole to get them.
      if (verdict.action === 'redact' && !whole && raw.length > lookBackWindow(raw).length) verdict = (await this.screen('output', raw))!;
      if (verdict.action === 'block') {
        this.abort?.abort();
        update({ content: `${this.guard!.policy.blockMessage} (${verdict.reason})`, mark: 'withheld' });
        return false;
      }
      if (verdict.action === 'redact' && verdict.redactedText !== undefined) update({ content: verdict.redactedText, mark: 'redacted' });
      else if (verdict.action === 'warn') update({ mark: 'warned' });
      return true;
    };
    try {
      let screenedUpTo = 0;
      let going = true;
      for await (const piece of this.handler(history, this.abort.signal)) {
        raw += piece;
        update({ content: reply.mark === 'redacted' ? reply.content + piece : raw });
        if (SENTENCE_END.test(raw)) {
          screenedUpTo = raw.length;
          going = await judge(false);
          if (!going) break;
        }
      }
      if (going && (raw.length > screenedUpTo || raw.length > lookBackWindow(raw).length)) await judge(true);
      this.phase = 'ready';
    } catch (error) {
      update({ content: `${reply.content}\n[reply incomplete]`, mark: 'incomplete' });
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
        ${this.messages.map((m) => html`<li part="message ${m.role}${m.mark ? ` ${m.mark}` : ''}">${m.content}</li>`)}
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
