import { describe, expect, it } from 'vitest';
import { applyMasks, maskedSpans, originalOf, planMaskEdits, type Mask } from '../../src/components/guarded-output/reply-masks.js';
import { redact } from '../../src/policy/decide.js';
import type { CategoryVerdict, Verdict } from '../../src/policy/verdict.js';
import { findPii } from '../../src/screen/rules/pii.js';

/** A redact verdict on `text` as the pipeline makes one from the PII rules. */
function piiVerdict(text: string): Verdict {
  const hits = findPii(text);
  const categories: CategoryVerdict[] = [{ category: 'pii', score: hits.length ? 1 : 0, threshold: 0.5, action: 'redact', layer: 'rules', fired: hits.length > 0 }];
  return {
    action: hits.length ? 'redact' : 'allow',
    direction: 'output',
    reason: '',
    categories,
    hits,
    ...(hits.length ? { redactedText: redact(text, hits, categories) } : {}),
    scores: {},
    normalization: { flags: [], decoded: 0 },
    backend: 'wasm',
    timings: { normalizeMs: 0, rulesMs: 0, classifierMs: 0, totalMs: 0 },
  };
}

/** Applies edits to a string the way replaceTextRange applies them to text nodes. */
const edit = (shown: string, edits: { start: number; end: number; text: string }[]) =>
  edits.reduce((s, e) => s.slice(0, e.start) + e.text + s.slice(e.end), shown);

const REPLY = 'Sure: write to jane.doe@example.com or call +1 415 555 0132, card 4111 1111 1111 1111. Done.';

describe('reply masks', () => {
  it('masks exactly the spans the verdict redacted', () => {
    const verdict = piiVerdict(REPLY);
    expect(verdict.action).toBe('redact');
    expect(applyMasks(REPLY, maskedSpans(verdict))).toBe(verdict.redactedText);
    expect(verdict.redactedText).not.toContain('jane.doe@example.com');
  });

  it('ignores hits of categories that did not fire with redact, and hits in decoded views', () => {
    const verdict = piiVerdict(REPLY);
    expect(maskedSpans({ ...verdict, categories: verdict.categories.map((c) => ({ ...c, action: 'warn' as const })) })).toEqual([]);
    expect(maskedSpans({ ...verdict, hits: verdict.hits.map((h) => ({ ...h, source: 'decoded' as const })) })).toEqual([]);
  });

  it('while a reply streams in one character at a time, the shown text is always the original with its masks, and ends fully redacted', () => {
    let masks: Mask[] = [];
    let shown = '';
    let original = '';
    for (const ch of REPLY) {
      original += ch;
      shown += ch; // the page appends to what is shown
      expect(originalOf({ original: original.slice(0, -1), shown: shown.slice(0, -1), masks }, shown).original).toBe(original);
      const plan = planMaskEdits(masks, maskedSpans(piiVerdict(original)));
      shown = edit(shown, plan.edits);
      masks = plan.masks;
      expect(shown).toBe(applyMasks(original, masks));
    }
    for (const secret of ['jane.doe@example.com', '555 0132', '4111 1111 1111 1111']) expect(shown).not.toContain(secret);
    expect(shown).toBe(piiVerdict(REPLY).redactedText);
    expect(shown.startsWith('Sure: write to ')).toBe(true);
    expect(shown.endsWith('. Done.')).toBe(true);
  });

  it('a span that grows over a mask replaces it (an address completed by the next chunk)', () => {
    const first = planMaskEdits([], [{ start: 3, end: 10, placeholder: '[EMAIL]' }]);
    const second = planMaskEdits(first.masks, [{ start: 3, end: 12, placeholder: '[EMAIL]' }]);
    expect(second.masks).toEqual([{ start: 3, end: 12, placeholder: '[EMAIL]' }]);
    expect(second.edits).toEqual([{ start: 3, end: 12, text: '[EMAIL]' }]);
    expect(planMaskEdits(second.masks, second.masks).edits).toEqual([]);
  });

  it('a rewritten element (the page re-rendered its buffer) is taken as the original', () => {
    expect(originalOf({ original: 'mail a@b.io', shown: 'mail [EMAIL]', masks: [{ start: 5, end: 11, placeholder: '[EMAIL]' }] }, 'mail a@b.io now')).toEqual({
      original: 'mail a@b.io now',
      rewritten: true,
    });
  });
});
