import { html } from 'lit';
import { GuardError } from '../../errors.js';
import type { Verdict } from '../../policy/verdict.js';
import { BURST_LOOK_BACK, sentenceWindows } from '../../screen/look-back.js';
import type { LoadProgress } from '../../types.js';
import { GuardedElement } from '../guarded-element.js';
import { demoResponder, type ChatHandler, type ChatMessage } from './demo-responder.js';
import { DEFAULT_GUARDED_CHAT_STRINGS, type GuardedChatStrings } from './guarded-chat.strings.js';
import { guardedChatStyles } from './guarded-chat.styles.js';
import { openAiChatHandler } from './openai-chat-handler.js';

/** A message in the log, with what the guard did to it. */
interface LoggedMessage extends ChatMessage {
  /** `block`: withheld; `redact`: shown masked; `warn`: shown with a warning; `incomplete`: the stream failed. */
  mark?: 'withheld' | 'redacted' | 'warned' | 'incomplete';
}

/** `detail` of `guard-error`. */
export interface GuardErrorDetail {
  /** A `GuardError` (`source: 'guard'`), or the chat backend's error, e.g. a `ChatEndpointError` (`source: 'chat'`). */
  error: unknown;
  /** `guard`: loading or screening failed; `chat`: the endpoint or handler failed while replying. */
  source: 'guard' | 'chat';
}

/** `detail` of `guard-new-conversation`. */
export interface NewConversationDetail {
  /** The conversation id the guard forgot. */
  previous: string;
  /** The id the chat screens under from now on. */
  conversation: string;
}

type Phase = 'loading' | 'ready' | 'screening' | 'replying' | 'error';

let nextConversation = 0;

/**
 * A complete chat whose every prompt is screened on this device before it is sent, and whose
 * replies are screened as they stream in. The guard's verdict decides: `block` keeps the draft
 * in the composer with the reason; `warn` asks the user to send again to confirm; `redact`
 * sends the redacted text and says so. A blocked reply is stopped and replaced.
 *
 * Where replies come from, first match wins: the `handler` property (any backend); else the
 * `endpoint` attribute (an OpenAI-compatible chat-completions endpoint, streamed, with
 * `chat-model` and the `apiKey` property); else the built-in offline demo responder.
 *
 * Every event bubbles and is `composed` (it crosses shadow roots).
 *
 * @event guard-progress - the safety model is downloading or being read from the cache; detail: `GuardProgressDetail`.
 * @event guard-ready - the model is loaded; detail: `GuardReadyDetail` (`backend`, `cache`).
 * @event guard-verdict - a prompt or reply was screened; detail: `GuardVerdictDetail`. Cancelable:
 *   `preventDefault()` on an input verdict lets the prompt through unchanged (a page-level override).
 * @event guard-blocked - a prompt or reply was blocked; detail: `GuardVerdictDetail`.
 * @event guard-error - the guard could not load or screen, or the reply failed; detail: `GuardErrorDetail`.
 * @event guard-new-conversation - `newConversation()` ran (the button or a call); detail: `NewConversationDetail`.
 *
 * @csspart log - the message list
 * @csspart message - each message; also `user` or `assistant`, and `withheld`, `redacted`, `warned` or `incomplete`
 * @csspart composer - the prompt textarea
 * @csspart send - the send button
 * @csspart new-conversation - the button that starts a new conversation
 * @csspart notice - the status / reason line (an ARIA live region)
 *
 * @cssprop --guarded-chat-border, --guarded-chat-radius, --guarded-chat-font
 * @cssprop --guarded-chat-user-bg, --guarded-chat-assistant-bg, --guarded-chat-blocked-color
 * @cssprop --guarded-chat-log-height
 *
 * @tagname guarded-chat
 */
export class GuardedChat extends GuardedElement {
  static override styles = guardedChatStyles;

  static override properties = {
    ...GuardedElement.properties,
    // Not an attribute here, as it never was: each chat names its own conversation when it is made.
    conversation: { type: String, attribute: false },
    systemPrompt: { type: String, attribute: 'system-prompt' },
    endpoint: { type: String },
    chatModel: { type: String, attribute: 'chat-model' },
    handler: { attribute: false },
    strings: { attribute: false },
    messages: { state: true },
    draft: { attribute: false },
    notice: { state: true },
    phase: { state: true },
  };

  /** Sent first (as the `system` message) to the handler or endpoint, never shown. */
  declare systemPrompt: string;
  /**
   * An OpenAI-compatible endpoint for replies: the full `…/v1/chat/completions` URL or the API
   * base `…/v1`. Streams over server-sent events. The page's CSP needs it in `connect-src`.
   */
  declare endpoint: string;
  /** The `model` field sent to `endpoint` (e.g. `gpt-4o-mini`); attribute `chat-model`. */
  declare chatModel: string;
  /** The chat backend: `(messages, signal) => AsyncIterable<string>`. Wins over `endpoint`. */
  declare handler: ChatHandler | undefined;
  /** UI texts to replace (i18n); the rest keep `DEFAULT_GUARDED_CHAT_STRINGS`. */
  declare strings: Partial<GuardedChatStrings>;
  declare messages: LoggedMessage[];
  /** The text in the composer: set it to fill the box (a suggested prompt, a restored draft); the user sends it. */
  declare draft: string;
  declare notice: string;
  declare phase: Phase;

  /** The key for `endpoint`: a property only, so it never appears in the DOM; kept private. */
  #apiKey = '';
  /** Whether `notice` reports a blocked prompt (shown in the blocked style). */
  private noticeBlocked = false;
  private abort: AbortController | null = null;
  /** The draft the user was warned about: sending it again unchanged confirms. */
  private warnedDraft: string | null = null;

  constructor() {
    super();
    this.conversation = `guarded-chat-${++nextConversation}`;
    this.systemPrompt = '';
    this.endpoint = '';
    this.chatModel = '';
    this.handler = undefined;
    this.strings = {};
    this.messages = [];
    this.draft = '';
    this.notice = '';
    this.phase = 'loading';
    // A key set before the element was upgraded sits on the instance and hides the setter.
    if (Object.hasOwn(this, 'apiKey')) {
      const early = (this as { apiKey?: string }).apiKey;
      delete (this as { apiKey?: string }).apiKey;
      this.apiKey = early;
    }
  }

  /**
   * The API key for `endpoint`, sent as `Authorization: Bearer <key>`. A property only (never
   * an attribute, so it is not in the DOM); never logged, never put in an event or the audit
   * log. Anything running on the page can read it: use a key scoped for browser use, or a
   * proxy that adds it server-side.
   */
  set apiKey(value: string | undefined) {
    this.#apiKey = value ?? '';
  }

  get apiKey(): string | undefined {
    return this.#apiKey || undefined;
  }

  /** The texts in use: `strings` over the defaults. */
  private get text(): GuardedChatStrings {
    return { ...DEFAULT_GUARDED_CHAT_STRINGS, ...this.strings };
  }

  /** Where replies come from: `handler`, else `endpoint`, else the offline demo responder. */
  private replyHandler(): ChatHandler {
    if (this.handler) return this.handler;
    if (this.endpoint) return openAiChatHandler({ endpoint: this.endpoint, model: this.chatModel, apiKey: this.#apiKey });
    return demoResponder;
  }

  protected onGuardState(state: 'loading' | 'ready' | 'error', error?: unknown): void {
    this.noticeBlocked = false;
    const text = this.text;
    if (state === 'error') this.showFailure(error, 'error', 'guard');
    else if (state === 'ready') {
      this.phase = 'ready';
      this.notice = text.ready(this.activeGuard!.backend.summary);
    } else {
      this.phase = 'loading';
      this.notice = text.loading(null);
    }
  }

  protected override onGuardProgress(progress: LoadProgress): void {
    const { loaded, total } = progress.overall;
    this.notice = this.text.loading(total > 0 ? Math.floor((100 * loaded) / total) : null);
  }

  protected override guardErrorDetail(error: unknown): GuardErrorDetail {
    return { error, source: 'guard' };
  }

  /** Shows and reports a failure; `phase` says whether the chat can go on ('ready') or not. */
  private fail(error: unknown, phase: Phase = 'error', source: GuardErrorDetail['source'] = 'guard'): void {
    this.showFailure(error, phase, source);
    this.emit('guard-error', { error, source } satisfies GuardErrorDetail);
  }

  /** Shows a failure only: a failed load is reported by the base, with `guardErrorDetail`. */
  private showFailure(error: unknown, phase: Phase, source: GuardErrorDetail['source']): void {
    this.phase = phase;
    this.noticeBlocked = false;
    const code = error instanceof GuardError ? error.code : errorCode(error);
    const message = error instanceof Error ? error.message : String(error);
    this.notice = source === 'guard' ? this.text.guardFailed(code, message) : this.text.replyFailed(code, message);
  }

  /** Screens one text; returns the verdict, or null when the page overrode it (input only). A reply is screened as the answer to `replyTo`. */
  private async screen(direction: 'input' | 'output', text: string, replyTo?: string): Promise<Verdict | null> {
    const verdict = await this.activeGuard!.screen(text, { direction, conversation: this.conversation, ...(replyTo !== undefined ? { replyTo } : {}) });
    return this.announceVerdict(direction, text, verdict, direction === 'input') ? verdict : null;
  }

  /** Screens the draft and, if allowed, sends it and streams the reply. */
  async send(): Promise<void> {
    const text = this.draft;
    if (!text.trim() || this.phase !== 'ready') return;
    this.phase = 'screening';
    this.noticeBlocked = false;
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
      this.notice = this.text.blocked(verdict.reason);
      this.noticeBlocked = true;
      return;
    }
    if (verdict?.action === 'warn' && this.warnedDraft !== text) {
      this.warnedDraft = text;
      this.phase = 'ready';
      this.notice = this.text.warned(verdict.reason);
      return;
    }
    if (verdict?.action === 'redact' && verdict.redactedText !== undefined) {
      outgoing = verdict.redactedText;
      mark = 'redacted';
    }
    this.warnedDraft = null;
    this.draft = '';
    this.messages = [...this.messages, { role: 'user', content: outgoing, ...(mark ? { mark } : {}) }];
    await this.streamReply(mark === 'redacted' ? this.text.redacted(verdict!.reason) : '');
  }

  private async streamReply(notice: string): Promise<void> {
    this.phase = 'replying';
    this.notice = notice;
    const history: ChatMessage[] = [
      ...(this.systemPrompt ? [{ role: 'system' as const, content: this.systemPrompt }] : []),
      ...this.messages.filter((m) => m.mark !== 'withheld').map(({ role, content }) => ({ role, content })),
    ];
    const reply: LoggedMessage = { role: 'assistant', content: '' };
    // The prompt this reply answers, as it was sent: a guard LLM judges the reply in its context.
    const prompt = [...this.messages].reverse().find((m) => m.role === 'user')?.content;
    this.messages = [...this.messages, reply];
    this.abort = new AbortController();
    const update = (next: Partial<LoggedMessage>) => {
      Object.assign(reply, next);
      this.messages = [...this.messages];
    };
    let raw = '';
    // While streaming, each finished sentence is screened with a bounded look-back (one window
    // per sentence, even when a piece brings several, so the text after a harmful sentence
    // cannot dilute it); at the end, the whole reply.
    const judge = async (window: string): Promise<boolean> => {
      let verdict = (await this.screen('output', window, prompt))!;
      // Redaction spans must be exact in the whole reply: re-screen it whole to get them.
      if (verdict.action === 'redact' && window !== raw) verdict = (await this.screen('output', raw, prompt))!;
      if (verdict.action === 'block') {
        this.abort?.abort();
        update({ content: `${this.activeGuard!.policy.blockMessage} (${verdict.reason})`, mark: 'withheld' });
        return false;
      }
      if (verdict.action === 'redact' && verdict.redactedText !== undefined) update({ content: verdict.redactedText, mark: 'redacted' });
      else if (verdict.action === 'warn') update({ mark: 'warned' });
      return true;
    };
    try {
      let screenedUpTo = 0;
      let lastScreened = '';
      let going = true;
      for await (const piece of this.replyHandler()(history, this.abort.signal)) {
        raw += piece;
        update({ content: reply.mark === 'redacted' ? reply.content + piece : raw });
        // The newest sentence gets the full look-back; any before it in the same piece a short one each.
        const burst = sentenceWindows(raw, screenedUpTo, BURST_LOOK_BACK);
        const newest = burst.length > 0 ? sentenceWindows(raw, burst.at(-2)?.end ?? screenedUpTo) : [];
        for (const window of [...burst.slice(0, -1), ...newest]) {
          screenedUpTo = window.end;
          lastScreened = window.text;
          going = await judge(window.text);
          if (!going) break;
        }
        if (!going) break;
      }
      if (going && raw && lastScreened !== raw) await judge(raw);
      this.phase = 'ready';
    } catch (error) {
      // What arrived before the failure is still screened whole before it stays on screen.
      const kept = raw ? await judge(raw).catch(() => false) : true;
      // Unscreenable (the guard failed too): withheld, as a fail-closed guard would.
      if (!kept && reply.mark !== 'withheld') update({ content: this.activeGuard!.policy.blockMessage, mark: 'withheld' });
      // The marker is rendered, not stored: the history sent next time holds only what arrived.
      if (kept) update({ mark: 'incomplete' });
      this.fail(error, 'ready', error instanceof GuardError ? 'guard' : 'chat');
    } finally {
      this.abort = null;
    }
  }

  /** Stops a streaming reply. */
  stop(): void {
    this.abort?.abort();
  }

  /**
   * Starts over: stops a streaming reply, clears the log, and screens under a fresh conversation
   * id after telling the guard to forget the old one (`guard.resetConversation`), so no risk or
   * block count carries over. The draft stays in the box.
   */
  async newConversation(): Promise<void> {
    this.stop();
    const previous = this.conversation;
    this.conversation = `guarded-chat-${++nextConversation}`;
    this.messages = [];
    this.warnedDraft = null;
    this.noticeBlocked = false;
    this.notice = this.text.conversationStarted;
    this.emit('guard-new-conversation', { previous, conversation: this.conversation } satisfies NewConversationDetail);
    // Memory only: the new id already has no history, so a failure here cannot leak risk across.
    await this.activeGuard?.resetConversation(previous).catch(() => undefined);
  }

  private onKeydown(event: KeyboardEvent): void {
    if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      void this.send();
    }
  }

  protected override render() {
    const busy = this.phase !== 'ready';
    const text = this.text;
    return html`
      <ol part="log" tabindex="0" aria-label=${text.conversationLabel}>
        ${this.messages.map((m) => html`<li part="message ${m.role}${m.mark ? ` ${m.mark}` : ''}">${m.content}${m.mark === 'incomplete' ? `${m.content ? '\n' : ''}${text.replyIncomplete}` : ''}</li>`)}
      </ol>
      <form @submit=${(e: Event) => { e.preventDefault(); void this.send(); }}>
        <textarea
          part="composer"
          aria-label=${text.composerLabel}
          .value=${this.draft}
          @input=${(e: Event) => { this.draft = (e.target as HTMLTextAreaElement).value; }}
          @keydown=${this.onKeydown}
        ></textarea>
        ${this.phase === 'replying'
          ? html`<button part="send" type="button" @click=${this.stop}>${text.stop}</button>`
          : html`<button part="send" type="submit" ?disabled=${busy}>${text.send}</button>`}
        <button part="new-conversation" type="button" @click=${() => void this.newConversation()}>${text.newConversation}</button>
      </form>
      <p part="notice" class=${this.noticeBlocked ? 'blocked' : ''} role="status" aria-live="polite">${this.notice}</p>
    `;
  }
}

/** The `code` of a non-guard error (e.g. a `ChatEndpointError`), when it has one. */
function errorCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}
