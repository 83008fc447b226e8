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
