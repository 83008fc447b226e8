/** Common English words: enough to tell decoded text from noise, and rot13/reversed from plain. */
const COMMON_WORDS = new Set(('the a an and or of to in is it you your me my i we be are was this that for on with as at by ' +
  'not no do does how what who why when where can will would should all any about from into ignore previous instructions ' +
  'instruction prompt system rules tell say print reveal show make give write now then if so but please have has make').split(' '));

/**
 * The share of `text`'s words that are common English words. A word is a whole run of letters
 * and digits of any script: "yоu" with a Cyrillic о is not "you", "Wh47" is not "wh", and their
 * ASCII pieces are not words.
 */
export function commonWordShare(text: string): number {
  const words = text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
  if (words.length === 0) return 0;
  return words.filter((w) => COMMON_WORDS.has(w)).length / words.length;
}

/**
 * Whether a reading of a text (decoded, reversed, accents folded) reads clearly better than the
 * text it came from, whose common-word share is `baseline`: a quarter of its words common, and a
 * fifth more of them than before. A transform that merely shuffles noise does not pass.
 */
export function readsClearlyBetter(reading: string, baseline: number): boolean {
  return commonWordShare(reading) >= Math.max(0.25, baseline + 0.2);
}
