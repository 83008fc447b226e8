/**
 * Every text `<guarded-chat>` shows or announces. Set `chat.strings = { send: 'Senden', … }`
 * to translate or reword any of them; the ones left out keep these defaults. Functions get
 * the parts that vary (a verdict's reason, a backend summary) already written out.
 */
export interface GuardedChatStrings {
  /** Accessible name of the message list. */
  conversationLabel: string;
  /** Accessible name of the prompt box. */
  composerLabel: string;
  /** The send button. */
  send: string;
  /** The button that stops a streaming reply. */
  stop: string;
  /** The button that clears the log and starts a conversation the guard has no history of. */
  newConversation: string;
  /** Announced once a new conversation has started. */
  conversationStarted: string;
  /** The safety model is loading; `percent` is null until the download size is known. */
  loading: (percent: number | null) => string;
  /** The guard is ready; `backend` is e.g. "wasm: no WebGPU adapter". */
  ready: (backend: string) => string;
  /** The guard could not load or screen; `code` is the `GuardError` code when there is one. */
  guardFailed: (code: string | undefined, message: string) => string;
  /** The chat backend (endpoint or handler) failed; `code` is e.g. `stream-interrupted`. */
  replyFailed: (code: string | undefined, message: string) => string;
  /** A prompt was blocked: it stays in the box. Shown in the blocked style. */
  blocked: (reason: string) => string;
  /** A prompt got a warning: sending it again unchanged confirms. */
  warned: (reason: string) => string;
  /** A prompt was sent with parts redacted. */
  redacted: (reason: string) => string;
  /** Appended to a reply whose stream broke off. */
  replyIncomplete: string;
}

/** The English defaults. */
export const DEFAULT_GUARDED_CHAT_STRINGS: Readonly<GuardedChatStrings> = Object.freeze({
  conversationLabel: 'Conversation',
  composerLabel: 'Message',
  send: 'Send',
  stop: 'Stop',
  newConversation: 'New conversation',
  conversationStarted: 'New conversation: the guard starts with no history.',
  loading: (percent: number | null) => `Loading the safety model…${percent === null ? '' : ` ${percent}%`}`,
  ready: (backend: string) => `Screening on this device (${backend}).`,
  guardFailed: (code: string | undefined, message: string) => `The guard failed${code ? ` (${code})` : ''}: ${message}`,
  replyFailed: (code: string | undefined, message: string) => `The reply failed${code ? ` (${code})` : ''}: ${message}`,
  blocked: (reason: string) => `Not sent. ${reason} Your text is still in the box.`,
  warned: (reason: string) => `${reason} Press Send again to send it anyway.`,
  redacted: (reason: string) => `Sent with personal data redacted: ${reason}`,
  replyIncomplete: '[reply incomplete]',
});
