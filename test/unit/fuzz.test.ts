import { describe, expect, it } from 'vitest';
import { stripFraming } from '../../src/screen/framing.js';
import { normalize } from '../../src/screen/normalize.js';
import { findAttackPatterns } from '../../src/screen/rules/attack-patterns.js';
import { findPii } from '../../src/screen/rules/pii.js';
import type { RuleHit } from '../../src/screen/rules/rule-hit.js';
import { findSecrets } from '../../src/screen/rules/secrets.js';

/** Mulberry32: a small seeded PRNG, so every run fuzzes the same cases. */
function prng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const POOLS = [
  'abcdefghijklmnopqrstuvwxyz ', 'ABCXYZ0123456789', '.,;:!?@#$%^&*()[]{}<>/\\|+=-_~`"\'', ' \n\t\r',
  'аеорсухіΑΒΕοραν', '😀🔥👍🏽‍♀️', '\u200B\u200D\u202E\u2066\uFEFF', 'ｉｇｎｏｒｅ𝐢𝐠𝐧', 'مرحبا שלום', '\uD800\uDFFF\uDC00',
];
const WORDS = ['ignore', 'previous', 'instructions', 'password=', 'AKIA', 'sk-', '@example.com', '+44 20', '4111 1111', 'GB82 WEST', 'base64', '%41%42', '\\x41'];

function randomText(random: () => number, length: number): string {
  let out = '';
  while (out.length < length) {
    if (random() < 0.15) out += WORDS[Math.floor(random() * WORDS.length)];
    else {
      const pool = POOLS[Math.floor(random() * POOLS.length)]!;
      out += pool[Math.floor(random() * pool.length)];
    }
  }
  return out;
}

function encodeRandomly(random: () => number, text: string): string {
  const layers = Math.floor(random() * 5);
  let out = text;
  for (let i = 0; i < layers; i++) {
    const pick = random();
    const bytes = new TextEncoder().encode(out);
    out = pick < 0.4 ? btoa(String.fromCharCode(...bytes.slice(0, 3000)))
      : pick < 0.7 ? Array.from(bytes.slice(0, 2000), (b) => b.toString(16).padStart(2, '0')).join('')
        : encodeURIComponent(out.slice(0, 2000).replace(/[\uD800-\uDFFF]/g, '?')); // lone surrogates cannot be URI-encoded
  }
  return out;
}

const wellFormed = (text: string, hits: RuleHit[]) => hits.every((h) =>
  Number.isInteger(h.span[0]) && h.span[0] >= 0 && h.span[0] < h.span[1] && h.span[1] <= text.length && h.placeholder.startsWith('['));

describe('fuzz: normalize and rules on seeded random unicode and encodings', () => {
  it('3,000 random texts: no exception, every span inside the text, every result well formed', () => {
    const random = prng(20261123);
    for (let i = 0; i < 3000; i++) {
      const base = randomText(random, 1 + Math.floor(random() * 400));
      const text = random() < 0.4 ? `${base} ${encodeRandomly(random, base)}` : base;
      const normalized = normalize(text);
      expect(typeof normalized.text).toBe('string');
      expect(normalized.decoded.length).toBeLessThanOrEqual(16);
      expect(normalized.decoded.every((d) => d.depth >= 0 && d.depth <= 3 && typeof d.text === 'string')).toBe(true);
      for (const find of [findPii, findSecrets, findAttackPatterns]) expect(wellFormed(text, find(text))).toBe(true);
      const core = stripFraming(text);
      expect(core === null || typeof core === 'string').toBe(true);
    }
  }, 60_000); // ~7 s on two busy cores: past Vitest's 5 s default

  it('finishes on inputs shaped to make naive regexes backtrack (1 MB runs, 10,000 emoji, lone surrogates)', () => {
    const shapes = [
      'a'.repeat(1_000_000), '1'.repeat(200_000), 'a.'.repeat(100_000), 'a@'.repeat(100_000), '%41'.repeat(100_000),
      'QUJD'.repeat(100_000), 'ab'.repeat(200_000), 'a '.repeat(200_000), '😀'.repeat(10_000), '\uD800x'.repeat(50_000),
      'ignore '.repeat(50_000), '+1 '.repeat(100_000),
    ];
    for (const text of shapes) {
      normalize(text);
      findPii(text);
      findSecrets(text);
      findAttackPatterns(text);
      stripFraming(text);
    }
    expect(shapes).toHaveLength(12);
  }, 60_000);
});
