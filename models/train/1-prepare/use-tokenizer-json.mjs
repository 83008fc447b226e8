// Writes the USE-lite SentencePiece vocabulary as a Hugging Face `tokenizer.json` (Unigram model)
// that @huggingface/tokenizers and transformers.js run, and checks it against the reference
// tokenizer (use-tokenizer.mjs) on texts from the data; the reference itself is checked against
// the TF.js tokenizer of tfjs-models (`@tensorflow-models/universal-sentence-encoder`, a
// training-only dependency in models/train/package.json) on the same texts.
// Usage: node use-tokenizer-json.mjs <vocab.json> <out-dir> [rows.jsonl] [count]
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { Tokenizer } from '@huggingface/tokenizers';
import { RESERVED, SEPARATOR, UseTokenizer } from './use-tokenizer.mjs';

const [vocabFile, outDir, rowsFile, countArg] = process.argv.slice(2);
const vocab = JSON.parse(readFileSync(vocabFile, 'utf8'));

// Ids 1..5 (<s>, </s>, extra ids) never match text in TF.js. A Unigram model matches every
// vocabulary entry, so these get names that NFKC text can never contain (U+2126 OHM SIGN
// normalizes to U+03A9), keeping their ids and the vocabulary size.
const unmatchable = (piece) => `\u2126${piece}\u2126`;
const pieces = vocab.map(([p, s], id) => [id > 0 && id < RESERVED ? unmatchable(p) : p, s]);

export const tokenizerJson = {
  version: '1.0',
  truncation: null,
  padding: null,
  added_tokens: [],
  // NFKC, one U+2581 in front of non-empty text (a lookbehind, not ^: the regex runs multi-line), then every space -> U+2581, as the USE tokenizer
  // prepares text. Not a Prepend normalizer (it turns '' into one token, and the engine frames
  // windows with what '' encodes to) nor a Metaspace pre-tokenizer (it skips the prefix when the
  // text already starts with a space or U+2581, where the USE tokenizer does not).
  normalizer: {
    type: 'Sequence',
    normalizers: [
      { type: 'NFKC' },
      { type: 'Replace', pattern: { Regex: '(?<![\\s\\S])(?=[\\s\\S])' }, content: SEPARATOR },
      { type: 'Replace', pattern: { String: ' ' }, content: SEPARATOR },
    ],
  },
  pre_tokenizer: null,
  post_processor: null,
  decoder: { type: 'Metaspace', replacement: SEPARATOR, prepend_scheme: 'always', split: false },
  model: { type: 'Unigram', unk_id: 0, vocab: pieces, byte_fallback: false },
};
export const tokenizerConfig = {
  tokenizer_class: 'PreTrainedTokenizerFast',
  model_max_length: 128,
  unk_token: vocab[0][0],
  pad_token: vocab[0][0], // padding is masked out by attention_mask; id 0 is a valid index
  clean_up_tokenization_spaces: false,
};
writeFileSync(join(outDir, 'tokenizer.json'), JSON.stringify(tokenizerJson));
writeFileSync(join(outDir, 'tokenizer_config.json'), JSON.stringify(tokenizerConfig, null, 2) + '\n');

if (rowsFile) {
  const count = Number(countArg ?? 1000);
  const hf = new Tokenizer(tokenizerJson, tokenizerConfig);
  const ref = new UseTokenizer(vocab);
  const texts = readFileSync(rowsFile, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l).text);
  // Extra cases the data may not hold: empty text, reserved names, unknown characters, emoji.
  const edge = ['', ' ', '<s> hi </s>', 'tab\tand\nnewline', '🙂 emoji 🙂🙂 ok', 'ＦＵＬＬ width', 'extra_token_id_1', '\u2581 x'];
  let match = 0;
  const mismatches = [];
  for (const t of [...texts.slice(0, count), ...edge]) {
    const a = hf.encode(t, { add_special_tokens: false }).ids;
    const b = ref.encode(t);
    if (a.length === b.length && a.every((v, i) => v === b[i])) match++;
    else mismatches.push({ text: t.slice(0, 120), hf: a.slice(0, 20), ref: b.slice(0, 20) });
  }
  const total = Math.min(count, texts.length) + edge.length;
  console.log(`tokenizer.json vs reference USE tokenizer: ${match}/${total} identical id sequences (${texts.slice(0, count).length} data texts + ${edge.length} edge cases)`);
  for (const m of mismatches.slice(0, 5)) console.log('  mismatch', JSON.stringify(m));
  // The reference against the original: tfjs-models' own Tokenizer class on the same texts.
  const { Tokenizer: TfjsTokenizer } = createRequire(import.meta.url)('@tensorflow-models/universal-sentence-encoder/dist/tokenizer/index.js');
  const tfjs = new TfjsTokenizer(vocab);
  let refMatch = 0;
  for (const t of [...texts.slice(0, count), ...edge]) {
    const a = tfjs.encode(t);
    const b = ref.encode(t);
    if (a.length === b.length && a.every((v, i) => v === b[i])) refMatch++;
  }
  console.log(`reference USE tokenizer vs tfjs-models (@tensorflow-models/universal-sentence-encoder 1.3.3): ${refMatch}/${total} identical id sequences`);
  writeFileSync(join(outDir, 'tokenizer-check.json'), JSON.stringify({ match, total, reference_vs_tfjs_models: refMatch, mismatches: mismatches.slice(0, 50) }, null, 2) + '\n');
  if (match !== total || refMatch !== total) process.exitCode = 1;
}
