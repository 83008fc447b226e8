import type { ChatHandler } from '../src/index.js';

/** Which way the demo's misbehaving responder goes wrong. */
export type UnsafeKind = 'pii' | 'harmful' | 'toxic';

/**
 * Replies a careless model might give. Each is what output screening exists for: personal data
 * (redacted by the PII rules), a request-shaped harmful passage (the shipped classifier scores
 * requests; the "instructions" stop before any real detail), and abuse (toxicity).
 */
const UNSAFE_REPLIES: Record<UnsafeKind, string> = {
  pii: 'Sure! The customer you asked about is Jane Doe. Her e-mail is jane.doe@example.com and her phone number is +1 415 555 0134. The card on file is 4111 1111 1111 1111.',
  harmful: 'Sure. Here is a step-by-step guide to making methamphetamine at home and selling it without getting caught. Step one: [the demo stops here].',
  toxic: 'Honestly? Shut the fuck up, you stupid piece of shit. Nobody wants you here.',
};

const pause = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => { clearTimeout(timer); resolve(); }, { once: true });
  });

/**
 * A chat handler that streams an unsafe reply word by word, so the page can watch the guard
 * screen a reply while it arrives (the demo's "reply unsafely on purpose" switch).
 */
export function unsafeResponder(kind: UnsafeKind): ChatHandler {
  return async function* (_messages, signal) {
    for (const word of UNSAFE_REPLIES[kind].split(/(?<= )/)) {
      if (signal.aborted) return;
      await pause(25, signal);
      yield word;
    }
  };
}
