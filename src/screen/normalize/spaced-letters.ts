/**
 * Letters spaced out so that no word survives tokenization: "i g n o r e   a l l", "i.g.n.o.r.e",
 * "i-g-n-o-r-e". A reader joins them without noticing; the model must see the words.
 *
 * - A run of four or more single characters joined by one punctuation separator, the same
 *   throughout, with at least two letters, is one word ("i.g.n.o.r.e"; not "U.S.A." or "1.2.3.4").
 * - Spaces: when the text's words are set apart by wider gaps (two or more spaces, as inserting a
 *   space after every character leaves them), each gap-separated piece of single characters is a
 *   word ("a l l" included). Otherwise a run of four or more single letters joined by single spaces
 *   is one word (the word boundaries are lost then: "h o w t o" becomes "howto").
 */

const PUNCTUATION_SPACED = /(?<![\p{L}\p{N}])[\p{L}\p{N}]([.\-_*·•|~+])[\p{L}\p{N}](?:\1[\p{L}\p{N}]){2,}(?![\p{L}\p{N}])/gu;
const SINGLE_SPACED_RUN = /(?<![\p{L}\p{N}])(?:\p{L} ){3,}\p{L}(?![\p{L}\p{N}])/gu;
/** A piece that is only single characters, each followed by one space: "a l l", "d o n ' t", "( ) ;". */
const SPACED_PIECE = /^(?:\S )+\S$/u;
/** Where words part in a text with a space after every character: a wider gap, or a line break with its spaces. */
const GAP = /( {2,}|[ \t]*\n[ \t]*|\t)/;

function joinPunctuationSpaced(text: string): string {
  return text.replace(PUNCTUATION_SPACED, (run, separator: string) => {
    const letters = run.match(/\p{L}/gu)?.length ?? 0;
    return letters >= 2 ? run.split(separator).join('') : run;
  });
}

/** Joins the spaced pieces of a text whose words stand apart by wide gaps; null when it has no such structure. */
function joinGappedWords(text: string): string | null {
  const parts = text.split(GAP);
  const pieces = parts.filter((_, i) => i % 2 === 0);
  const spaced = pieces.filter((p) => SPACED_PIECE.test(p) && p.length >= 3);
  if (spaced.length < 2 || spaced.length * 2 < pieces.filter((p) => p.trim()).length) return null;
  return parts.map((part, i) => {
    if (i % 2 === 1) return part.includes('\n') ? '\n' : ' ';
    return SPACED_PIECE.test(part) ? part.replace(/ /g, '') : part;
  }).join('');
}

/** The text with spaced-out letters joined; null when there were none. */
export function joinSpacedLetters(text: string): string | null {
  const punctuated = joinPunctuationSpaced(text);
  const gapped = joinGappedWords(punctuated);
  const out = gapped ?? punctuated.replace(SINGLE_SPACED_RUN, (run) => run.replace(/ /g, ''));
  return out === text ? null : out;
}
