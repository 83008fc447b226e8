import { describe, expect, it } from 'vitest';
import { injectionCarriers, type AugmentedRow } from '../../models/train/2-augment/injection-carriers.mjs';

const rowsOf = (seed: number): AugmentedRow[] => injectionCarriers({ seed });

describe("injectionCarriers (guard-use-lite's injection-carrier augmentation)", () => {
  it('is deterministic under a seed and differs across seeds', () => {
    expect(rowsOf(1234)).toEqual(rowsOf(1234));
    expect(rowsOf(1234).map((r) => r.text)).not.toEqual(rowsOf(99).map((r) => r.text));
  });

  it('keeps each text once, and pairs the attack families with benign rows of the same shapes', () => {
    const rows = rowsOf(1234);
    const key = (t: string) => t.toLowerCase().replace(/\s+/g, ' ').trim();
    expect(new Set(rows.map((r) => key(r.text))).size).toBe(rows.length);
    const count = (kind: string) => rows.filter((r) => r.kind === kind).length;
    expect(count('injection_indirect')).toBeGreaterThan(500);
    expect(count('benign_carrier')).toBeGreaterThan(500);
    for (const r of rows) {
      if (r.kind.startsWith('benign')) expect(r.labels).toEqual([]);
      else expect(r.labels).toHaveLength(1);
    }
  });

  it('hides the injected note in the carrier: an indirect injection and a benign carrier can share the document', () => {
    const rows = rowsOf(1234);
    const docOf = (t: string) => t.split('\n\n').at(-1)!.slice(0, 40);
    const benignDocs = new Set(rows.filter((r) => r.kind === 'benign_carrier').map((r) => docOf(r.text)));
    const shared = rows.filter((r) => r.kind === 'injection_indirect' && benignDocs.has(docOf(r.text)));
    expect(shared.length).toBeGreaterThan(50);
  });

  it('encodes the payload of an encoded injection so that decoding it gives the instruction back', () => {
    const encoded = rowsOf(1234).filter((r) => r.kind === 'injection_encoded' && r.text.includes('base64'));
    expect(encoded.length).toBeGreaterThan(10);
    for (const r of encoded) {
      const payload = r.text.match(/[A-Za-z0-9+/]{16,}={0,2}/)![0];
      expect(Buffer.from(payload, 'base64').toString('utf8')).toMatch(/^[A-Z][^\n]+\.$/);
    }
  });
});
