import type { Verdict } from '../../policy/verdict.js';

/** A span of the original reply that is shown masked, and what is shown instead. */
export interface Mask {
  start: number;
  end: number;
  placeholder: string;
}

/** One replacement in the shown text: [start, end) becomes `text`. */
export interface TextEdit {
  start: number;
  end: number;
  text: string;
}

/**
 * What `<guarded-output>` left in the page's element after its last edit (`shown`), and the
 * original reply behind it: the page keeps writing into the element, so the original is
 * rebuilt from this record and whatever the page added since.
 */
export interface ReplyRecord {
  original: string;
  shown: string;
  /** In original-text coordinates, sorted, not overlapping. */
  masks: Mask[];
}

export const EMPTY_RECORD: Readonly<ReplyRecord> = { original: '', shown: '', masks: [] };

/**
 * The original reply behind the element's current text. If the page only added to what was
 * left (`textContent += chunk`, appended nodes), it is the recorded original plus the new tail;
 * if the page rewrote the element (re-rendering its own buffer), the current text is the
 * original, and the masks made before are gone from it (`rewritten`).
 */
export function originalOf(record: ReplyRecord, current: string): { original: string; rewritten: boolean } {
  if (current.startsWith(record.shown)) return { original: record.original + current.slice(record.shown.length), rewritten: false };
  return { original: current, rewritten: true };
}

/**
 * The spans a redact verdict masks, exactly those its `redactedText` replaced: hits in the
 * original text, of categories that fired with the `redact` action, earliest first, none
 * overlapping one before it.
 */
export function maskedSpans(verdict: Verdict): Mask[] {
  const redacting = new Set(verdict.categories.filter((c) => c.fired && c.action === 'redact').map((c) => c.category));
  const hits = verdict.hits.filter((h) => h.source === 'original' && redacting.has(h.category)).sort((a, b) => a.span[0] - b.span[0]);
  const out: Mask[] = [];
  for (const hit of hits) {
    const [start, end] = hit.span;
    if (out.length > 0 && start < out[out.length - 1]!.end) continue;
    out.push({ start, end, placeholder: hit.placeholder });
  }
  return out;
}

/** Where original position `pos` (not strictly inside a mask) falls in the shown text. */
function shownPosition(masks: readonly Mask[], pos: number): number {
  let shift = 0;
  for (const m of masks) if (m.end <= pos) shift += m.placeholder.length - (m.end - m.start);
  return pos + shift;
}

/**
 * The edits that bring the shown text from `masks` to `masks` plus `spans`, in the order they
 * are to be applied (each in the coordinates left by the ones before), and the masks after
 * them. A span already masked is skipped; one that overlaps a mask (an e-mail address that
 * grew by a streamed chunk) replaces it, covering both.
 */
export function planMaskEdits(masks: readonly Mask[], spans: readonly Mask[]): { edits: TextEdit[]; masks: Mask[] } {
  let current = [...masks];
  const edits: TextEdit[] = [];
  for (const span of spans) {
    if (current.some((m) => m.start === span.start && m.end === span.end)) continue;
    const overlapping = current.filter((m) => m.start < span.end && span.start < m.end);
    const start = Math.min(span.start, ...overlapping.map((m) => m.start));
    const end = Math.max(span.end, ...overlapping.map((m) => m.end));
    edits.push({ start: shownPosition(current, start), end: shownPosition(current, end), text: span.placeholder });
    current = [...current.filter((m) => !overlapping.includes(m)), { start, end, placeholder: span.placeholder }].sort((a, b) => a.start - b.start);
  }
  return { edits, masks: current };
}

/** The shown text for `original` with `masks` applied (what the element should read). */
export function applyMasks(original: string, masks: readonly Mask[]): string {
  let out = '';
  let at = 0;
  for (const m of masks) {
    out += original.slice(at, m.start) + m.placeholder;
    at = m.end;
  }
  return out + original.slice(at);
}
