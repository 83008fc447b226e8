/**
 * Normalize: undo the tricks attacks hide behind, so the layers below see what a reader would.
 * Invisible payloads decoded (tag characters: "ASCII smuggling"; variation-selector runs: "emoji
 * smuggling"), control characters applied (a backspace erases), zero-width characters dropped,
 * bidi overrides put back in reading order, upside-down and mirrored text read back,
 * compatibility forms folded (NFKC: fullwidth, math alphanumerics), combining marks on Latin
 * letters stripped and English dressed in accents folded, look-alike letters folded with
 * Unicode's confusables data, spaced-out letters joined, leetspeak folded, encoded payloads
 * (base64, hex, URL-encoding, rot13, reversed text) decoded, and, in the readable form, letters
 * swapped inside words put back. Each trick found is flagged. The
 * surface steps live in `./normalize/`.
 */
import { resolveBidi } from './normalize/bidi.js';
import { foldAccents, stripCombiningMarks } from './normalize/combining-marks.js';
import { commonWordShare, readsClearlyBetter } from './normalize/common-words.js';
import { foldConfusables } from './normalize/confusables.js';
import { applyControlCharacters } from './normalize/control-characters.js';
import { readFlippedText } from './normalize/flipped-text.js';
import { extractInvisiblePayloads } from './normalize/invisible-payloads.js';
import { joinSpacedLetters } from './normalize/spaced-letters.js';
import { repairSwappedLetters } from './normalize/typos.js';

/** A trick found in the text. */
export type NormalizationFlag =
  | 'zero-width'
  | 'control-characters'
  | 'bidi-control'
  | 'tag-characters'
  | 'variation-selectors'
  | 'html-comment'
  | 'upside-down'
  | 'mirrored'
  | 'compatibility-forms'
  | 'combining-marks'
  | 'diacritics'
  | 'homoglyphs'
  | 'leetspeak'
  | 'spaced-letters'
  | 'base64'
  | 'hex'
  | 'url-encoding'
  | 'rot13'
  | 'reversed'
  /** Neighbouring letters swapped inside words, put back in the readable form. */
  | 'swapped-letters'
  /** An encoding still held another encoding at the depth limit: nesting past it is evasion. */
  | 'decoding-limit';

/** A payload found encoded in the text, decoded. */
export interface DecodedPayload {
  kind: 'base64' | 'hex' | 'url-encoding' | 'rot13' | 'reversed' | 'tag-characters' | 'variation-selectors' | 'html-comment';
  /** The decoded text (itself normalized). */
  text: string;
  /** How many decodings deep it was (base64 of base64 is 2). */
  depth: number;
  /** The encoded text as it appeared in the message (first-level payloads only). */
  encoded?: string;
}

export interface NormalizedText {
  original: string;
  /** The original with invisible characters removed and look-alikes, leetspeak and spacing folded. */
  text: string;
  /**
   * The message as a reader would take it: every encoded payload replaced by its decoded text,
   * then folded like `text`. What a classifier should read when the message was obfuscated.
   */
  readable: string;
  flags: NormalizationFlag[];
  decoded: DecodedPayload[];
}

export interface NormalizeOptions {
  /** How deep to follow encodings inside encodings (default 3). */
  maxDepth?: number;
  /** Stop decoding after this many payloads (default 16): bounded work on hostile input. */
  maxPayloads?: number;
}

const ZERO_WIDTH = /[\u200B-\u200D\u2060-\u2064\uFEFF\u180E\u00AD\u034F]/g;

const LEET: Record<string, string> = { '0': 'o', '1': 'i', '3': 'e', '4': 'a', '5': 's', '7': 't', '8': 'b', '9': 'g', '@': 'a', '$': 's', '!': 'i', '|': 'l', '+': 't' };
/** A word of letters with leet characters inside it (not plain numbers, not trailing punctuation). */
const LEET_WORD = /(?<![\w@$])(?=[\w@$!|+]*[a-z])(?=[\w@$!|+]*[013457890@$|+])[a-z0-9@$!|+]{3,}(?![\w@$])/gi;

const BASE64 = /(?<![A-Za-z0-9+/=_-])(?:[A-Za-z0-9+/]{4}){4,}(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?(?![A-Za-z0-9+/=])/g;
/** Text that is nothing but an encoding (base64, hex, %XX): worth decoding again. */
const ENCODED_ONLY = /^(?:[A-Za-z0-9+/=_-]{16,}|(?:\\x)?[0-9a-f\s:\\x]{16,}|(?:[^\s%]*%[0-9a-f]{2}){2,}[^\s%]*)$/i;
const BASE64URL = /(?<![A-Za-z0-9_-])[A-Za-z0-9_-]{20,}(?![A-Za-z0-9_-])/g;
const HEX = /(?<![0-9a-f])(?:[0-9a-f]{2}[ :]?){8,}(?![0-9a-f])/gi;
const HEX_ESCAPES = /(?:\\x[0-9a-f]{2}){4,}/gi;
/** Each `<!-- … -->` in `text`, found in one pass (a regex would rescan after every unclosed `<!--`). */
function htmlComments(text: string): string[] {
  const comments: string[] = [];
  for (let open = text.indexOf('<!--'); open >= 0 && comments.length < 64; open = text.indexOf('<!--', open)) {
    const close = text.indexOf('-->', open + 4);
    if (close < 0) break; // nothing later can close either
    comments.push(text.slice(open, close + 3));
    open = close + 3;
  }
  return comments;
}
/** A run of non-space text with at least two %XX escapes. */
const URL_ENCODED = /(?<![^\s%])[^\s%]*(?:%[0-9a-f]{2}[^\s%]*){2,}/gi;
/** Seven or more hex digits ("a3f9c1e", a short commit hash or an id): not leetspeak. */
const HEX_ID = /^[0-9a-f]{7,}$/i;

/** Digits then a unit or ordinal ("50mm", "4k", "2nd"): not leetspeak. */
const NUMBER_WITH_UNIT = /^\d+(?:mm|cm|km|m|kg|g|mg|ml|l|gb|mb|kb|tb|k|px|pt|em|fps|hz|khz|mhz|ghz|st|nd|rd|th|s|x|d|p|am|pm|v|w|mah|h|min)$/i;

/** Mostly printable text, and enough of it looks like words. */
function looksLikeText(text: string): boolean {
  if (text.length < 4) return false;
  const printable = text.replace(/[^\x20-\x7E\n\r\t\u00A0-\uFFFF]/g, '').length / text.length;
  if (printable < 0.95) return false;
  if (/[\uFFFD]/.test(text)) return false;
  return /[a-z]{2,}/i.test(text) && (commonWordShare(text) >= 0.15 || /\s/.test(text));
}

function decodeBase64(candidate: string): string | null {
  try {
    const standard = candidate.replace(/-/g, '+').replace(/_/g, '/');
    const padded = standard + '='.repeat((4 - (standard.length % 4)) % 4);
    const binary = atob(padded);
    const bytes = Uint8Array.from(binary, (c) => c.charCodeAt(0));
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return null;
  }
}

function decodeHex(candidate: string): string | null {
  const digits = candidate.replace(/\\x|[\s:]/gi, '');
  if (digits.length % 2 !== 0) return null;
  const bytes = new Uint8Array(digits.length / 2);
  for (let i = 0; i < bytes.length; i++) bytes[i] = parseInt(digits.slice(2 * i, 2 * i + 2), 16);
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return null;
  }
}

function decodeUrl(candidate: string): string | null {
  try {
    return decodeURIComponent(candidate.replace(/\+/g, ' '));
  } catch {
    return null;
  }
}

/** ROT13 of ASCII letters. */
export function rot13(text: string): string {
  return text.replace(/[a-z]/gi, (c) => {
    const base = c <= 'Z' ? 65 : 97;
    return String.fromCharCode(((c.charCodeAt(0) - base + 13) % 26) + base);
  });
}

/** Letters then 1–3 digits ("utf8", "mp3", "Wh47"): a name with a version unless the text is leet. */
const VERSION_LIKE_WORD = /(?<![\w@$])[a-z]{2,}\d{1,3}(?![\w@$])/gi;

/**
 * Short leet tokens ("4", "70", "0n", "t0", "m3"): a leet character and up to two more letters or
 * leet characters, or one letter then one leet digit; folded only in a text that already has leet words.
 */
const SHORT_LEET_TOKEN = /(?<![\w@$])(?:[013457@$][013457@$a-z]{0,2}|[a-z][013457])(?![\w@$])/gi;

/** A word of leet digits and letters only, at least one letter ("573p", "h0m3"): leet in a text that already has leet words. */
const LEET_ONLY_WORD = /(?<![\w@$])(?=[013457@$]*[a-z])[013457@$a-z]{3,}(?![\w@$])/gi;

/**
 * A word with a run of 3+ digits is usually a number, code or hash, but heavy leet has them too
 * ("w473r", "7r347m3n7"): it is leet when it has at least two letters and they
 * are at least a quarter of it.
 */
function heavyLeet(word: string): boolean {
  const letters = word.match(/[a-z]/gi)?.length ?? 0;
  return letters >= 2 && letters / word.length >= 0.25;
}

/** An e-mail address: its `@` is not an "a" ("jane.doe@example.com" must stay as written). */
const EMAIL_ADDRESS = /(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+/g;

/** The leet characters of `word` that `chars` matches, as the letters they stand for. */
function unleet(word: string, chars: RegExp): string {
  return word.replace(chars, (c) => LEET[c] ?? c);
}

function foldLeet(text: string): string {
  let words = 0;
  const emails: string[] = [];
  // Set e-mail addresses aside (a private-use placeholder holds their place), fold, put them back.
  // The index is a private-use character too: a digit there would itself be folded as leet.
  const masked = text.replace(EMAIL_ADDRESS, (address) => (emails.length < 0x1000 ? `\uE000${String.fromCharCode(0xE100 + emails.push(address) - 1)}` : address));
  const restore = (out: string) => (emails.length ? out.replace(/\uE000([\uE100-\uF0FF])/g, (_, i: string) => emails[i.charCodeAt(0) - 0xE100]!) : out);
  const folded = masked.replace(LEET_WORD, (word) => {
    // Not leet: long runs (encoded blobs, hashes), numbers with units, names ending in a version ("base64", "utf8").
    // 2 and 6 stand for no letter: a word holding them is a number or a code ("x86", "4k2").
    if (word.length > 24 || /[26]/.test(word) || (/\d{3,}/.test(word) && !heavyLeet(word)) || NUMBER_WITH_UNIT.test(word) || /^[a-z]{2,}\d{1,3}$/i.test(word) || HEX_ID.test(word)) return word;
    words += 1;
    return unleet(word, /[013457890@$!|+]/g);
  });
  if (words < 2) return restore(folded);
  // In a text that is clearly leet, short tokens and version-like words ("Wh47") are leet too.
  return restore(folded
    .replace(LEET_ONLY_WORD, (word) => unleet(word, /[013457@$]/g))
    .replace(SHORT_LEET_TOKEN, (token) => unleet(token, /[013457@$]/g))
    .replace(VERSION_LIKE_WORD, (word) => (/[26]/.test(word) ? word : unleet(word, /[013457]/g))));
}

/** Surface normalization of one text (no payload decoding), in reading order: see the module comment. */
function foldSurface(text: string, flags: Set<NormalizationFlag>, decoded: DecodedPayload[], depth: number): string {
  let out = text;
  const apply = (flag: NormalizationFlag, result: string | null) => {
    if (result === null || result === out) return;
    flags.add(flag);
    out = result;
  };
  const invisible = extractInvisiblePayloads(out);
  for (const payload of invisible.payloads) {
    flags.add(payload.kind);
    decoded.push({ kind: payload.kind, text: foldSurface(payload.text, flags, decoded, depth + 1), depth });
  }
  out = invisible.visible;
  apply('control-characters', applyControlCharacters(out));
  apply('zero-width', out.replace(ZERO_WIDTH, ''));
  const bidi = resolveBidi(out);
  if (bidi) {
    // The reader sees the display order, the model downstream reads the stored one: where the
    // stored order reads better than what is shown, it is screened as well.
    if (bidi.stored !== bidi.display && readsClearlyBetter(bidi.stored, commonWordShare(bidi.display))) decoded.push({ kind: 'reversed', text: bidi.stored, depth });
    flags.add('bidi-control');
    out = bidi.display;
  }
  // Before NFKC, which would decompose some of the characters flipped text is made of.
  const flipped = readFlippedText(out);
  if (flipped) {
    for (const kind of flipped.kinds) flags.add(kind);
    out = flipped.text;
  }
  apply('compatibility-forms', out.normalize('NFKC'));
  apply('combining-marks', stripCombiningMarks(out));
  apply('diacritics', foldAccents(out));
  apply('homoglyphs', foldConfusables(out));
  apply('spaced-letters', joinSpacedLetters(out));
  apply('leetspeak', foldLeet(out));
  return out;
}

const FLAG_NAMES: Partial<Record<NormalizationFlag, string>> = {
  'zero-width': 'zero-width characters', 'control-characters': 'control characters', 'bidi-control': 'bidi controls',
  'tag-characters': 'text hidden in tag characters', 'variation-selectors': 'text hidden in variation selectors',
  'html-comment': 'an HTML comment', 'upside-down': 'upside-down text', mirrored: 'mirrored text',
  'combining-marks': 'combining marks', diacritics: 'accents on English', homoglyphs: 'look-alike letters', leetspeak: 'leetspeak', 'spaced-letters': 'spaced-out letters',
  base64: 'base64', hex: 'hex', 'url-encoding': 'URL-encoding', rot13: 'rot13', reversed: 'reversed text',
  'swapped-letters': 'swapped letters',
};

/** The tricks a verdict read through, for its reason line ('' when none worth naming). */
export function describeNormalization(flags: readonly NormalizationFlag[]): string {
  const named = flags.map((f) => FLAG_NAMES[f]).filter((n): n is string => Boolean(n));
  return named.length ? ` Read through: ${named.join(', ')}.` : '';
}

/** Normalizes `text` for screening; see the module comment. Bounded work for any input. */
export function normalize(text: string, options: NormalizeOptions = {}): NormalizedText {
  const maxDepth = options.maxDepth ?? 3;
  const maxPayloads = options.maxPayloads ?? 16;
  const flags = new Set<NormalizationFlag>();
  const decoded: DecodedPayload[] = [];
  const seen = new Set<string>();

  const addPayload = (kind: DecodedPayload['kind'], raw: string, depth: number, encoded?: string) => {
    if (decoded.length >= maxPayloads || seen.has(raw)) return;
    seen.add(raw);
    flags.add(kind);
    const payload: DecodedPayload = { kind, text: foldSurface(raw, flags, decoded, depth), depth, ...(depth === 1 && encoded ? { encoded } : {}) };
    decoded.push(payload);
    if (depth < maxDepth) findPayloads(raw, depth + 1);
  };

  // A decoding that gives text is a payload; one that gives another encoding is followed deeper.
  const consider = (kind: 'base64' | 'hex' | 'url-encoding', out: string | null, depth: number, encoded: string) => {
    if (!out) return;
    if (looksLikeText(out)) addPayload(kind, out, depth, encoded);
    else if (ENCODED_ONLY.test(out.trim())) {
      if (depth < maxDepth && decoded.length < maxPayloads) findPayloads(out, depth + 1);
      else if (depth >= maxDepth) flags.add('decoding-limit');
    }
  };

  /** `readable` is what the whole-text transforms try: the surface-folded text, not a garbled original. */
  const findPayloads = (source: string, depth: number, readable = source) => {
    for (const match of source.matchAll(BASE64)) consider('base64', decodeBase64(match[0]), depth, match[0]);
    for (const match of source.matchAll(BASE64URL)) {
      if (/[-_]/.test(match[0])) consider('base64', decodeBase64(match[0]), depth, match[0]); // plain base64 was handled above
    }
    for (const re of [HEX, HEX_ESCAPES]) {
      for (const match of source.matchAll(re)) consider('hex', decodeHex(match[0]), depth, match[0]);
    }
    for (const match of source.matchAll(URL_ENCODED)) {
      const out = decodeUrl(match[0]);
      if (out !== match[0]) consider('url-encoding', out, depth, match[0]);
    }
    // Whole-text transforms, tried on the text and on each of its segments (a plain "read this
    // backwards:" before the payload must not hide it); kept only when they read clearly better.
    const segments = [readable, ...readable.split(/[:\n]|(?<=[.!?])\s+/).filter((s) => s.trim().length >= 12)].slice(0, 64);
    for (const segment of new Set(segments)) {
      const plainShare = commonWordShare(segment);
      const rotated = rot13(segment);
      if (readsClearlyBetter(rotated, plainShare)) addPayload('rot13', rotated.trim(), depth, segment.trim());
      const reversed = Array.from(segment).reverse().join('');
      if (readsClearlyBetter(reversed, plainShare)) addPayload('reversed', reversed.trim(), depth, segment.trim());
    }
  };

  const surface = foldSurface(text, flags, decoded, 0);
  // What a reader of a pasted page never sees but a model reads: HTML comments, a common carrier
  // of indirect injection. Each is screened on its own, away from the page that dilutes it.
  for (const comment of htmlComments(text)) {
    const inside = comment.slice(4, -3).trim();
    if (inside.length >= 12) addPayload('html-comment', inside, 1, comment);
  }
  // Encoded blobs are looked for in the original too (folding could alter one); whole-text
  // transforms (rot13, reversal) only in the folded surface: tried on a text that was upside down
  // or behind a bidi override, they would "decode" what the surface steps already read back.
  findPayloads(surface === text ? text : `${text}\n${surface}`, 1, surface);
  // Undo the encodings in place (before folding, which could alter an encoded blob), then fold.
  let unencoded = text;
  let replaced = false;
  for (const payload of decoded) {
    if (payload.encoded && unencoded.includes(payload.encoded)) {
      unencoded = unencoded.replace(payload.encoded, payload.text);
      replaced = true;
    }
  }
  const folded = replaced ? foldSurface(unencoded, new Set(), [], 0) : surface;
  // Spelling is mended last, on what a reader would read: after the tricks are undone, a word's
  // letters are the ones it was written with.
  const respelled = repairSwappedLetters(folded);
  if (respelled.respelled > 0) flags.add('swapped-letters');
  return { original: text, text: surface, readable: respelled.text, flags: [...flags], decoded };
}
