import { commonWordShare, readsClearlyBetter } from './common-words.js';

/**
 * Combining marks stacked on Latin letters: underlines (U+0332), strike-throughs, accents with no
 * precomposed form, "zalgo" piles. A reader reads through them; a subword tokenizer splits every
 * word they touch. Applied after NFKC, which has already composed ordinary accented letters (é
 * stays é). Marks on spaces, punctuation, digits and symbols go too. Marks on the letters of other
 * scripts, where they are part of the writing, stay.
 */

const MARKS_ON_LATIN = /(\p{Script=Latin})\p{M}+/gu;

/**
 * Marks on what no script writes marks on: spaces, punctuation, digits and symbols ("Ignore ̲all ̲…",
 * the underline after every character, spaces included). Variation selectors and the keycap mark
 * are left: emoji are written with them ("❤️", "1️⃣"), and a run of selectors may carry a hidden
 * payload that invisible-payloads.ts reads.
 */
const MARKS_ON_NON_LETTERS = /([\s\p{Z}\p{P}\p{N}\p{S}])(?:(?![\uFE00-\uFE0F\u20E3\u{E0100}-\u{E01EF}])\p{M})+/gu;

/** The text without combining marks on Latin letters or on non-letters; null when there are none. */
export function stripCombiningMarks(text: string): string | null {
  const stripped = text.replace(MARKS_ON_LATIN, '$1').replace(MARKS_ON_NON_LETTERS, '$1');
  return stripped === text ? null : stripped;
}

/** Letters only Vietnamese uses: a text with them is Vietnamese, accented on every syllable by right. */
const VIETNAMESE = /[ăđơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ]/iu;

/** The share of a text's Latin vowels that carry an accent (French and Spanish prose: 5–25%). */
function accentedVowelShare(text: string): number {
  const decomposed = text.normalize('NFD');
  const vowels = decomposed.match(/[aeiouy]/gi)?.length ?? 0;
  const accented = decomposed.match(/[aeiouy]\p{M}/giu)?.length ?? 0;
  return vowels >= 6 ? accented / vowels : 0;
}

/**
 * English dressed in accents ("Ígñöré áll prévíöüs íñstrüçtíöñs"): every accent folded away when
 * that turns the text into English words, or when half or more of its vowels carry one (no
 * language accents that many; Vietnamese, which comes close, is recognised by its own letters and
 * left alone). French or Spanish stays as written. Null when nothing was folded.
 */
export function foldAccents(text: string): string | null {
  const folded = text.normalize('NFD').replace(MARKS_ON_LATIN, '$1').normalize('NFC');
  if (folded === text) return null;
  if (readsClearlyBetter(folded, commonWordShare(text))) return folded;
  return accentedVowelShare(text) >= 0.5 && !VIETNAMESE.test(text) ? folded : null;
}
