// Character-level noise as training augmentation: typos (two letters swapped, a letter dropped or
// doubled), spaced-out words and a doubled space. Attacks rewritten with typos must still read as
// attacks, and benign prompts with typos as benign, so both get noisy copies in equal measure.
import { makeRng } from '../lib/rng.mjs';

/** One noisy copy of `text`: about `rate` of its longer words get one edit each. */
export function addTypos(text, rng, rate = 0.35) {
  return text.replace(/\p{L}{4,}/gu, (word) => {
    if (rng() >= rate) return word;
    const i = 1 + Math.floor(rng() * (word.length - 2));
    const kind = rng();
    if (kind < 0.4) return word.slice(0, i) + word[i + 1] + word[i] + word.slice(i + 2); // swap
    if (kind < 0.65) return word.slice(0, i) + word.slice(i + 1); // drop
    if (kind < 0.9) return word.slice(0, i) + word[i] + word.slice(i); // double
    return [...word].join(' '); // spaced out
  });
}

/**
 * Noisy copies of a seeded share of the given TRAIN rows (`share` of each label's rows, benign
 * included, at most `perSourceCap` per source and label), each marked with its source so the card
 * can count them.
 * @param {{ text: string, labels: string[], source: string }[]} rows train-split rows only
 */
export function noisyRows(rows, seed, share = 0.12, perSourceCap = 300) {
  const rng = makeRng(seed + 777);
  const out = [];
  const taken = {};
  for (const r of rows) {
    if (r.text.length > 600 || rng() >= share) continue;
    const key = `${r.source}|${r.labels.join('+')}`;
    if ((taken[key] ?? 0) >= perSourceCap) continue; // big corpora (tweets) must not make most of the copies
    const text = addTypos(r.text, rng);
    if (text === r.text) continue;
    taken[key] = (taken[key] ?? 0) + 1;
    out.push({ text, labels: r.labels, source: `noise:${r.labels[0] ?? 'benign'}`, category: 'typos' });
  }
  return out;
}
