// Reference tokenizer for the Universal Sentence Encoder Lite, as TF.js runs it: the algorithm
// of the USE tokenizer in tfjs-models (`@tensorflow-models/universal-sentence-encoder`, which
// `@energetic-ai/embeddings` follows), re-implemented here, quirks included, as the yardstick the
// exported `tokenizer.json` is checked against; use-tokenizer-json.mjs checks it in turn against
// that package's own tokenizer (a training-only dependency in models/train/package.json):
//   - input: NFKC, every U+0020 space -> U+2581, and one U+2581 in front (nothing for '');
//   - the first 6 vocabulary entries (unk, <s>, </s>, 3 extra ids) never match text;
//   - a Viterbi pass over a lattice of all vocabulary pieces; a position no piece starts at
//     becomes one unknown (id 0) of one character, scored 0; ties go to the later candidate;
//   - runs of unknowns collapse into one id 0.
export const SEPARATOR = '\u2581';
export const RESERVED = 6;

export function prepareText(text) {
  const n = text.normalize('NFKC');
  return n.length > 0 ? SEPARATOR + n.replace(/ /g, SEPARATOR) : n;
}

export class UseTokenizer {
  /** @param {[string, number][]} vocabulary the package's vocab.json: [piece, log-probability] */
  constructor(vocabulary) {
    this.vocabulary = vocabulary;
    this.root = new Map();
    for (let id = RESERVED; id < vocabulary.length; id++) {
      let node = this.root;
      const chars = Array.from(vocabulary[id][0]);
      chars.forEach((c, i) => {
        if (!node.has(c)) node.set(c, { next: new Map(), piece: null });
        const child = node.get(c);
        if (i === chars.length - 1) child.piece = { chars: chars.length, score: vocabulary[id][1], id };
        node = child.next;
      });
    }
  }

  /** Pieces that are prefixes of chars[start..]; an unknown of one character when none is. */
  prefixes(chars, start) {
    const out = [];
    let node = this.root;
    for (let i = start; i < chars.length; i++) {
      const hit = node.get(chars[i]);
      if (!hit) break;
      if (hit.piece) out.push(hit.piece);
      node = hit.next;
    }
    if (out.length === 0) out.push({ chars: 1, score: 0, id: 0 });
    return out;
  }

  encode(text) {
    const chars = Array.from(prepareText(text));
    const n = chars.length;
    // endings[e] = candidates ending at e, grouped by start position in increasing order
    const endings = Array.from({ length: n + 1 }, () => new Map());
    for (let s = 0; s < n; s++) {
      for (const p of this.prefixes(chars, s)) {
        const e = s + p.chars;
        if (!endings[e].has(s)) endings[e].set(s, []);
        endings[e].get(s).push(p);
      }
    }
    const best = new Float64Array(n + 1);
    const word = new Int32Array(n + 1);
    for (let e = 0; e <= n; e++) {
      const starts = [...endings[e].keys()].sort((a, b) => a - b);
      for (const s of starts) {
        for (const p of endings[e].get(s)) {
          const score = p.score + best[e - p.chars];
          // best === 0 means "unset" in the original, so a path scoring exactly 0 can be replaced
          if (best[e] === 0 || score >= best[e]) { best[e] = score; word[e] = p.id; }
        }
      }
    }
    // Back from the end; the step is the UTF-16 length of the chosen piece's text, as in TF.js.
    const back = [];
    for (let i = n; i > 0; i -= this.vocabulary[word[i]][0].length) back.push(word[i]);
    const ids = [];
    let prevUnk = false;
    for (const id of back) {
      if (!(prevUnk && id === 0)) ids.push(id);
      prevUnk = id === 0;
    }
    return ids.reverse();
  }
}
