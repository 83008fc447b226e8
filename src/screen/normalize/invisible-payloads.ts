/**
 * Text hidden in characters that render as nothing: Unicode tag characters (U+E0000 block, one
 * per ASCII character: "ASCII smuggling") and runs of variation selectors (VS1–VS256, one per byte
 * of UTF-8: "emoji smuggling", a payload riding on one emoji). Both are decoded so the classifier
 * judges what they say, and removed from the visible text.
 */

const TAG_RUN = /[\u{E0000}-\u{E007F}]+/gu;
/** Two or more variation selectors in a row: one after an emoji (U+FE0F) is ordinary. */
const SELECTOR_RUN = /(?:[\uFE00-\uFE0F]|[\u{E0100}-\u{E01EF}]){2,}/gu;

/** The kinds of invisible payload: a normalization flag each. */
export const INVISIBLE_KINDS = ['tag-characters', 'variation-selectors'] as const;
export type InvisibleKind = (typeof INVISIBLE_KINDS)[number];

export interface InvisiblePayload {
  kind: InvisibleKind;
  /** The decoded text (never blank: a run that says nothing is no payload). */
  text: string;
}

function decodeTags(run: string): string {
  return Array.from(run, (c) => {
    const code = c.codePointAt(0)! - 0xe0000;
    return code >= 0x20 && code <= 0x7e ? String.fromCharCode(code) : '';
  }).join('');
}

function selectorByte(c: string): number {
  const code = c.codePointAt(0)!;
  return code <= 0xfe0f ? code - 0xfe00 : code - 0xe0100 + 16;
}

function decodeSelectors(run: string): string {
  const bytes = Uint8Array.from(Array.from(run, selectorByte));
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes).replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F]/g, '');
  } catch {
    return '';
  }
}

/** A subdivision flag (🏴 + "gbsct" in tags + CANCEL TAG: Scotland's): tags that render as a flag. */
function isFlagTagSequence(text: string, run: string, at: number): boolean {
  const tags = Array.from(run);
  return text.codePointAt(at - 2) === 0x1f3f4 && tags.length <= 8 && tags.at(-1) === '\u{E007F}';
}

/** The text without its invisible runs (subdivision flags stay), and what each run that said something said. */
export function extractInvisiblePayloads(text: string): { visible: string; payloads: InvisiblePayload[] } {
  const payloads: InvisiblePayload[] = [];
  const visible = text
    .replace(TAG_RUN, (run: string, at: number) => {
      if (isFlagTagSequence(text, run, at)) return run;
      const hidden = decodeTags(run);
      if (hidden.trim()) payloads.push({ kind: 'tag-characters', text: hidden });
      return ''; // stray tags that spell nothing are dropped all the same: they render as nothing
    })
    .replace(SELECTOR_RUN, (run) => {
      const hidden = decodeSelectors(run);
      if (!hidden.trim()) return run; // selectors that spell nothing (a doubled U+FE0F) stay as typed
      payloads.push({ kind: 'variation-selectors', text: hidden });
      return '';
    });
  return { visible, payloads };
}
