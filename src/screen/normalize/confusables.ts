/**
 * Look-alike letters folded to the ASCII they imitate, from Unicode's confusables data (UTS #39,
 * as the `unhomoglyph` package ships it, generated from confusables.txt). Only non-ASCII
 * characters are folded (the data also maps ASCII "I" to "l" and "m" to "rn", which would garble
 * plain English), and only to a single ASCII character.
 *
 * Real words of other scripts must stay as written: a word is folded only when every letter of
 * it becomes ASCII, and either it already mixes in ASCII letters ("pаypal" with a Cyrillic а) or
 * most words of the text are ASCII once folded (a whole sentence in Cyrillic look-alikes). A
 * Russian sentence, whose words do not all have Latin twins, is left alone.
 */
import confusablesData from 'unhomoglyph/data.json';

/**
 * Letters attacks use for Latin ones that UTS #39 does not map to ASCII: its prototype for each is
 * a small capital or another non-ASCII letter (в → ʙ, к → ĸ, м → ʍ, н → ʜ, т → ᴛ, β → ß, ε → ꞓ),
 * or it has none (χ; ς, which NFKC makes of the lunate ϲ). A reader takes "pyтhon" for "python",
 * so must the classifier. Letters with a diacritic (ё, ї) fold through their decomposition.
 */
const STAND_INS: Record<string, string> = { в: 'b', к: 'k', м: 'm', н: 'h', т: 't', ь: 'b', β: 'b', ε: 'e', κ: 'k', τ: 't', χ: 'x', ς: 'c' };

let fold: Map<string, string> | undefined;

/** Built on first use: a module with no work at load time is one a page's bundler can drop unused. */
function foldTable(): Map<string, string> {
  if (fold) return fold;
  fold = new Map();
  for (const [from, to] of Object.entries(confusablesData as Record<string, string>)) {
    if (!/^[\x21-\x7E]$/.test(to) || /^[\x00-\x7F]+$/.test(from)) continue;
    // The data's prototype for capital-I look-alikes is "l"; in text they stand for "I".
    fold.set(from, to === 'l' && /^\p{Lu}$/u.test(from) ? 'I' : to);
  }
  for (const [from, to] of Object.entries(STAND_INS)) fold.set(from, to);
  return fold;
}

const WORD = /[\p{L}\p{N}\p{M}'’-]+/gu;
const ASCII = /^[\x00-\x7F]*$/;
const HAS_ASCII_LETTER = /[A-Za-z]/;
const LATIN = /\p{Script=Latin}/u;

/**
 * One character folded: as written if ASCII, else by the table, else a Cyrillic or Greek letter
 * by its base letter ("ё" → "е" → "e"). Accented Latin letters stay: "réserver" is French, and
 * English dressed in accents is the accent step's to read.
 */
function foldChar(c: string, table: Map<string, string>): string {
  if (ASCII.test(c)) return c;
  const direct = table.get(c);
  if (direct) return direct;
  if (LATIN.test(c)) return c;
  const base = c.normalize('NFD').replace(/\p{M}+/gu, '');
  return base !== c && base.length === 1 ? (ASCII.test(base) ? base : (table.get(base) ?? c)) : c;
}

function foldWord(word: string): string | null {
  const table = foldTable();
  let out = '';
  for (const c of word) out += foldChar(c, table);
  return ASCII.test(out) ? out : null;
}

/** The text with look-alike words folded to ASCII; null when nothing was folded. */
export function foldConfusables(text: string): string | null {
  const words = text.match(WORD) ?? [];
  const foreign = words.filter((w) => !ASCII.test(w));
  if (foreign.length === 0) return null;
  const folded = new Map<string, string>();
  for (const word of foreign) {
    const ascii = foldWord(word);
    if (ascii !== null) folded.set(word, ascii);
  }
  if (folded.size === 0) return null;
  const readsAsLatin = words.filter((w) => ASCII.test(w) || folded.has(w)).length * 2 > words.length;
  let changed = false;
  const out = text.replace(WORD, (word) => {
    const ascii = folded.get(word);
    if (ascii === undefined || !(readsAsLatin || HAS_ASCII_LETTER.test(word))) return word;
    changed = true;
    return ascii;
  });
  return changed ? out : null;
}
