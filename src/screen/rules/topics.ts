import type { RuleHit } from './rule-hit.js';

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Phrases of the policy's deny topics, as whole words, case-insensitive; one hit per occurrence. */
export function findTopics(text: string, deny: Record<string, readonly string[]>): RuleHit[] {
  const hits: RuleHit[] = [];
  for (const [topic, phrases] of Object.entries(deny)) {
    const pattern = new RegExp(`(?<![\\p{L}\\p{N}])(?:${phrases.map((p) => escape(p.trim()).replace(/\s+/g, '\\s+')).join('|')})(?![\\p{L}\\p{N}])`, 'giu');
    for (const m of text.matchAll(pattern)) {
      hits.push({ rule: `topic.${topic}`, category: `topic:${topic}`, span: [m.index, m.index + m[0].length], placeholder: `[${topic.toUpperCase()}]`, source: 'original' });
    }
  }
  return hits;
}
