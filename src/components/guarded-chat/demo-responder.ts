/** One message of a chat, as handlers receive them. */
export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

/** A chat backend: yields the reply's text in pieces; stops when `signal` aborts. */
export type ChatHandler = (messages: readonly ChatMessage[], signal: AbortSignal) => AsyncIterable<string>;

const pause = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => { clearTimeout(timer); resolve(); }, { once: true });
  });

/**
 * The built-in offline responder: no model, no network. It streams a short acknowledgement
 * word by word, so a page works (and screening of streamed replies shows) with nothing else.
 */
export const demoResponder: ChatHandler = async function* (messages, signal) {
  const last = [...messages].reverse().find((m) => m.role === 'user')?.content ?? '';
  const reply = `You said: "${last.length > 120 ? `${last.slice(0, 117)}…` : last}". This is the offline demo responder; connect a real model with the handler property.`;
  for (const word of reply.split(/(?<= )/)) {
    if (signal.aborted) return;
    await pause(15, signal);
    yield word;
  }
};
