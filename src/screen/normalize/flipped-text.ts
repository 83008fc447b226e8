/**
 * Upside-down and mirrored text: letters swapped for characters that look like them turned
 * over (ɐ for a, ǝ for e, ʇ for t) or seen in a mirror (ɘ for e, Я for R), written in reverse
 * order so that it reads on screen. A reader reads it; a model sees noise, and would judge the
 * noise. Read back: each character mapped to the letter it shows, the order reversed.
 *
 * The tables are the characters the common generators use (the inverse of each generator's
 * flip map), not Unicode confusables: ɐ does not look like a, it looks like a turned upside down.
 */

/** Upside-down character → the letter it shows. b/q, d/p, n/u and 6/9 swap. */
const UPSIDE_DOWN: Record<string, string> = {
  ɐ: 'a', q: 'b', ɔ: 'c', p: 'd', ǝ: 'e', ɟ: 'f', ƃ: 'g', ᵷ: 'g', ɥ: 'h', ᴉ: 'i', ı: 'i', ɾ: 'j', ſ: 'j', ʞ: 'k', ʅ: 'l',
  ɯ: 'm', u: 'n', d: 'p', b: 'q', ɹ: 'r', ʇ: 't', n: 'u', ʌ: 'v', ʍ: 'w', ʎ: 'y',
  '∀': 'A', Ɐ: 'A', ꓭ: 'B', Ɔ: 'C', ᗡ: 'D', ꓷ: 'D', Ǝ: 'E', Ⅎ: 'F', ꟻ: 'F', '⅁': 'G', ᒋ: 'J', ꓘ: 'K', '˥': 'L', '⅂': 'L', W: 'M',
  Ԁ: 'P', Ꝺ: 'Q', ᴚ: 'R', ꓤ: 'R', '⊥': 'T', ꓕ: 'T', '∩': 'U', Λ: 'V', M: 'W', '⅄': 'Y',
  Ɩ: '1', ᄅ: '2', '↊': '2', Ɛ: '3', '↋': '3', ㄣ: '4', ϛ: '5', '9': '6', ㄥ: '7', '6': '9',
  '˙': '.', "'": ',', ',': "'", '¿': '?', '¡': '!', '„': '"', '(': ')', ')': '(', '[': ']', ']': '[', '{': '}', '}': '{',
  '<': '>', '>': '<', '⅋': '&', '‾': '_',
};
/** Characters only upside-down text uses: the evidence that a run is upside down. */
const UPSIDE_DOWN_SIGNS = /[ɐɔǝɟƃᵷɥᴉɾʞɯɹʇʌʍʎ∀ⱯꓭƆᗡꓷƎℲ⅁ꓘ˥⅂ԀᴚꓤꓕΛ⅄ᄅ↊↋ㄣϛㄥ¿¡˙]/gu;

/** Mirrored character → the letter it shows. b/d and p/q swap. */
const MIRRORED: Record<string, string> = {
  ɒ: 'a', d: 'b', ɔ: 'c', b: 'd', ɘ: 'e', ʇ: 'f', ǫ: 'g', ʜ: 'h', ꞁ: 'j', ʞ: 'k', ᴎ: 'n', q: 'p', p: 'q', ɿ: 'r', ƨ: 's', ƚ: 't',
  ʏ: 'y', ƹ: 'z', ᙠ: 'B', Ɔ: 'C', ᗡ: 'D', Ǝ: 'E', ꟻ: 'F', Ꭾ: 'G', Ⴑ: 'J', ꓘ: 'K', '⅃': 'L', И: 'N', ꟼ: 'P', Я: 'R', Ƨ: 'S', Ƹ: 'Z',
  '⸮': '?', '(': ')', ')': '(', '[': ']', ']': '[', '{': '}', '}': '{', '<': '>', '>': '<',
};
const MIRRORED_SIGNS = /[ɒɘǫʜꞁᴎɿƨƚƹᙠꟻᎮႱ⅃ꟼƧƸ⸮ИЯ]/gu;

/** Either kind's signs, without the global flag: a plain test. */
const ANY_SIGN = new RegExp(`${UPSIDE_DOWN_SIGNS.source}|${MIRRORED_SIGNS.source}`, 'u');

export type FlipKind = 'upside-down' | 'mirrored';

function count(re: RegExp, text: string): number {
  return text.match(re)?.length ?? 0;
}

function readBack(line: string, table: Record<string, string>): string {
  return Array.from(line, (c) => table[c] ?? c).reverse().join('');
}

/**
 * A line is flipped when at least three of its characters, and a fifth of its letters, are ones
 * only flipped text uses, or two and a third of its letters (a short "!ɒʜolA"); a stray ɐ in a
 * phonetics note is not enough.
 */
function flipKindOf(line: string): FlipKind | null {
  const letters = count(/\p{L}/gu, line);
  if (letters === 0) return null;
  const upside = count(UPSIDE_DOWN_SIGNS, line);
  const mirrored = count(MIRRORED_SIGNS, line);
  const best = Math.max(upside, mirrored);
  if (best < 2 || (best < 3 && best * 3 < letters) || best * 5 < letters) return null;
  return upside >= mirrored ? 'upside-down' : 'mirrored';
}

/**
 * The text with its flipped lines read back, and which kinds were found; null when none was. A
 * text flipped whole (two thirds or more of its lines with letters flipped, all the same way; a
 * line of digits and codes may show no sign) is read back whole, so its lines come back in order.
 */
export function readFlippedText(text: string): { text: string; kinds: FlipKind[] } | null {
  // Almost every text has no flipped character at all: nothing to look at line by line.
  if (!ANY_SIGN.test(text)) return null;
  const lines = text.split('\n');
  const kindOf = lines.map(flipKindOf);
  const withLetters = lines.flatMap((line, i) => (/\p{L}/u.test(line) ? [kindOf[i] ?? null] : []));
  const flipped = withLetters.filter((kind): kind is FlipKind => kind !== null);
  const whole = flipped[0];
  if (whole && withLetters.length > 1 && flipped.length * 3 >= withLetters.length * 2 && flipped.every((kind) => kind === whole)) {
    return { text: readBack(text, whole === 'upside-down' ? UPSIDE_DOWN : MIRRORED), kinds: [whole] };
  }
  const kinds = new Set(flipped);
  if (kinds.size === 0) return null;
  const read = lines.map((line, i) => {
    const kind = kindOf[i];
    return kind ? readBack(line, kind === 'upside-down' ? UPSIDE_DOWN : MIRRORED) : line;
  });
  return { text: read.join('\n'), kinds: [...kinds] };
}
