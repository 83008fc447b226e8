/**
 * Control characters, read as a terminal would show the text: BACKSPACE (U+0008) and DELETE
 * (U+007F) remove the character before them ("x\b" between letters is a typed-and-erased x that
 * splits a word for a classifier but not for a reader); other control characters, which show
 * nothing, are dropped. Tab, newline and carriage return are text and stay.
 */

const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/;

/** The text with its control characters applied; null when it has none. */
export function applyControlCharacters(text: string): string | null {
  if (!CONTROL.test(text)) return null;
  const out: string[] = [];
  for (const c of text) {
    if (c === '\b' || c === '\u007F') {
      if (out.length > 0 && out[out.length - 1] !== '\n') out.pop();
    } else if (!CONTROL.test(c)) {
      out.push(c);
    }
  }
  return out.join('');
}
