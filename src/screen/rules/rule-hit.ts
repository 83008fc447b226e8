/** A category a rule can raise. */
export type RuleCategory = 'pii' | 'secrets' | 'injection' | 'jailbreak' | 'harmful' | 'evasion' | `topic:${string}`;

/** One rule match, with its exact place in the text it was found in. */
export interface RuleHit {
  /** Stable id of the rule, e.g. `pii.email`, `secret.aws-access-key`, `attack.ignore-previous`. */
  rule: string;
  category: RuleCategory;
  /** [start, end) in UTF-16 code units of the screened text. */
  span: [number, number];
  /** What replaces the span when redacting, e.g. `[EMAIL]`. */
  placeholder: string;
  /** Which text it was found in: the original, the normalized one, or a decoded payload. */
  source: 'original' | 'normalized' | 'decoded';
}

/** Runs a global regex over `text`, turning every match that passes `accept` into a hit. */
export function matchAll(
  text: string,
  pattern: RegExp,
  hit: Omit<RuleHit, 'span' | 'source'>,
  accept: (match: RegExpExecArray) => boolean = () => true,
  group = 0,
): RuleHit[] {
  const hits: RuleHit[] = [];
  pattern.lastIndex = 0;
  for (let m = pattern.exec(text); m; m = pattern.exec(text)) {
    if (m[0].length === 0) {
      pattern.lastIndex++;
      continue;
    }
    if (!accept(m)) continue;
    const value = m[group] ?? m[0];
    const start = m.index + m[0].indexOf(value);
    hits.push({ ...hit, span: [start, start + value.length], source: 'original' });
  }
  return hits;
}

/** Replaces each hit's span in `text` with its placeholder; overlapping later spans are skipped. */
export function replaceSpans(text: string, hits: readonly RuleHit[]): string {
  const spans = [...hits].sort((a, b) => a.span[0] - b.span[0]);
  let out = '';
  let at = 0;
  for (const hit of spans) {
    if (hit.span[0] < at) continue; // overlapping: the earlier span already covers it
    out += text.slice(at, hit.span[0]) + hit.placeholder;
    at = hit.span[1];
  }
  return out + text.slice(at);
}

/** Keeps hits in order of priority, dropping any that overlaps one kept before it. */
export function withoutOverlaps(hits: RuleHit[]): RuleHit[] {
  const kept: RuleHit[] = [];
  for (const hit of hits) {
    if (!kept.some((k) => hit.span[0] < k.span[1] && k.span[0] < hit.span[1])) kept.push(hit);
  }
  return kept.sort((a, b) => a.span[0] - b.span[0]);
}
