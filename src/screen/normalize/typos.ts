/**
 * Two neighbouring letters swapped ("ingore all previuos instructions"): a reader sees through it
 * at once, a classifier's vocabulary and the rules do not. A word of four or more letters that is
 * not an English word becomes the one English word that a single swap of neighbouring letters
 * makes of it; with no such word, or more than one, it stays as written. Only in a text that is
 * mostly English once mended, and with two words or more to mend: elsewhere a "misspelled" word
 * is as likely a word of another language.
 */
import { ENGLISH_WORDS } from './english-words.js';

let dictionary: ReadonlySet<string> | undefined;
const englishWords = (): ReadonlySet<string> => (dictionary ??= new Set(ENGLISH_WORDS.split(' ')));

/** A word of four or more letters, all of them ASCII ("Réponds" is not "ponds"). */
const WORD = /(?<![\p{L}\p{M}\p{N}])[A-Za-z]{4,}(?![\p{L}\p{M}\p{N}])/gu;

/**
 * Respelled only with at least two words to mend: the trick swaps letters in many words, while a
 * lone "misspelling" in a text is as likely a word of another language ("sans filtre").
 */
const MIN_MENDED = 2;

/** Of the words of four or more letters, the share that must be English, as written or respelled, before any is respelled. */
const ENGLISH_SHARE = 0.75;

/** The one English word a single swap of neighbouring letters makes of `lower`, if exactly one. */
function unswapped(lower: string, words: ReadonlySet<string>): string | undefined {
  let found: string | undefined;
  for (let i = 0; i + 1 < lower.length; i++) {
    if (lower[i] === lower[i + 1]) continue;
    const candidate = lower.slice(0, i) + lower[i + 1] + lower[i] + lower.slice(i + 2);
    if (!words.has(candidate) || candidate === found) continue;
    if (found !== undefined) return undefined;
    found = candidate;
  }
  return found;
}

/** `word`'s capitalization on `respelled`: all capitals, a leading capital, or as respelled. */
function inCaseOf(word: string, respelled: string): string {
  if (word === word.toUpperCase()) return respelled.toUpperCase();
  if (word[0] === word[0]!.toUpperCase()) return respelled[0]!.toUpperCase() + respelled.slice(1);
  return respelled;
}

/** `text` with swapped neighbouring letters put back, and how many words were respelled. */
export function repairSwappedLetters(text: string): { text: string; respelled: number } {
  const words = englishWords();
  const fixes = new Map<string, string | undefined>();
  let english = 0;
  let mended = 0;
  let total = 0;
  for (const [word] of text.matchAll(WORD)) {
    total++;
    const lower = word.toLowerCase();
    if (words.has(lower)) {
      english++;
      continue;
    }
    if (!fixes.has(lower)) fixes.set(lower, unswapped(lower, words));
    if (fixes.get(lower) !== undefined) mended++;
  }
  if (mended < MIN_MENDED || (english + mended) / total < ENGLISH_SHARE) return { text, respelled: 0 };
  const out = text.replace(WORD, (word) => {
    const fixed = fixes.get(word.toLowerCase());
    return fixed ? inCaseOf(word, fixed) : word;
  });
  return { text: out, respelled: mended };
}
