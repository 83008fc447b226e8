/** Sentence ends: the places a streamed reply is screened. */
export const SENTENCE_END = /[.!?…。！？\n]["')\]]*\s*$/;

/**
 * The tail of a streaming reply that is screened when a sentence completes: the last
 * `maxChars` characters, widened back to the start of the sentence they cut into, so a
 * harmful passage is judged whole and within one sentence of being completed, while the cost
 * per sentence stays bounded however long the reply grows. The whole reply is screened once
 * more when it ends.
 */
export function lookBackWindow(text: string, maxChars = 1200): string {
  if (text.length <= maxChars) return text;
  const cut = text.length - maxChars;
  const head = text.slice(0, cut);
  const lastEnd = Math.max(head.lastIndexOf('. '), head.lastIndexOf('! '), head.lastIndexOf('? '), head.lastIndexOf('\n'));
  return text.slice(lastEnd >= 0 ? lastEnd + 1 : 0).trimStart();
}

/**
 * The look-back for a sentence that is not the newest of its burst (several sentences that
 * arrived at once): about 90 tokens, inside one 128-token classifier window, so each costs one
 * model row per view however many arrive together; the longer context is judged by the screen
 * of the newest sentence or of the whole reply.
 */
export const BURST_LOOK_BACK = 400;

/**
 * Every sentence end inside a text (the terminator, closing quotes, then the whitespace after):
 * `.!?…` count when whitespace or the end of the text follows (so `3.14` and `e.g` do not),
 * `。！？` and line breaks always.
 */
const SENTENCE_ENDS = /([.!?…]["')\]]*(?=\s|$)|[。！？\n]["')\]]*)\s*/g;

/** What to screen for one sentence of a reply: the look-back window that ends with it. */
export interface SentenceWindow {
  /** The reply up to this sentence's end (its trailing whitespace included), at most `maxChars` back (`lookBackWindow`). */
  text: string;
  /** Where `text` starts in the reply: add it to a verdict's spans to place them in the whole reply. */
  start: number;
  /** Where the sentence's terminator ends in the reply: pass the last one as `from` next time. */
  end: number;
}

/**
 * The look-back windows of the sentences of `reply` that end after `from`, in order. A reply
 * streamed word by word completes one sentence at a time; one that arrives in a burst (a
 * large chunk, or several chunks written while a screen ran) completes many at once, and
 * screening only the whole burst would let the text after a harmful sentence dilute it. Each
 * sentence is screened in the window that ends with it instead, as if it had streamed.
 */
export function sentenceWindows(reply: string, from = 0, maxChars = 1200): SentenceWindow[] {
  const windows: SentenceWindow[] = [];
  for (const match of reply.matchAll(SENTENCE_ENDS)) {
    const end = match.index + match[1]!.length;
    if (end <= from) continue;
    const upTo = match.index + match[0].length;
    const text = lookBackWindow(reply.slice(0, upTo), maxChars);
    windows.push({ text, start: upTo - text.length, end });
  }
  return windows;
}
