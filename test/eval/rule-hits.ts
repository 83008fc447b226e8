/**
 * `npx tsx test/eval/rule-hits.ts <dir or file.jsonl>... [--rule ID]`
 *
 * Runs the attack-pattern rules alone (src/screen/rules/attack-patterns.ts, on the text as written)
 * over every row of labelled JSONL files and prints, per rule, how many rows of each file and label
 * it hits, then the benign rows it hits, each with the words around the match: a rule's reach
 * outside the source that prompted it, and its false positives, read rather than counted.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { ATTACK_PATTERNS } from '../../src/screen/rules/attack-patterns.js';

const { values: args, positionals } = parseArgs({ allowPositionals: true, options: { rule: { type: 'string' } } });
if (positionals.length === 0) {
  console.error('usage: npx tsx test/eval/rule-hits.ts <dir or file.jsonl>... [--rule ID]');
  process.exit(2);
}
const files = positionals.flatMap((p) => (statSync(p).isDirectory()
  ? readdirSync(p).filter((f) => f.endsWith('.jsonl')).sort().map((f) => `${p.replace(/\/$/, '')}/${f}`)
  : [p]));
const rules = ATTACK_PATTERNS.filter((r) => !args.rule || r.id === args.rule);
if (rules.length === 0) throw new Error(`no rule ${JSON.stringify(args.rule)}: ${ATTACK_PATTERNS.map((r) => r.id).join(', ')}`);

const rows = files.flatMap((file) => readFileSync(file, 'utf8').split('\n').flatMap((line, i) => {
  if (!line.trim()) return [];
  const row = JSON.parse(line) as { text?: unknown; label?: unknown };
  if (typeof row.text !== 'string') return [];
  return [{ file: file.split('/').pop()!, line: i + 1, label: String(row.label), text: row.text }];
}));

const oneLine = (text: string) => text.replace(/\s+/g, ' ').trim();
for (const rule of rules) {
  const hits = new Map<string, number>();
  const totals = new Map<string, number>();
  const benign: string[] = [];
  for (const row of rows) {
    const key = `${row.file} ${row.label}`;
    totals.set(key, (totals.get(key) ?? 0) + 1);
    rule.pattern.lastIndex = 0;
    const match = rule.pattern.exec(row.text);
    if (!match) continue;
    hits.set(key, (hits.get(key) ?? 0) + 1);
    if (row.label === 'benign') {
      benign.push(`${row.file}:${row.line}: …${oneLine(row.text.slice(Math.max(0, match.index - 60), match.index + match[0].length + 60))}…`);
    }
  }
  console.log(`\n${rule.id} (${rule.category}): ${rule.description}`);
  for (const [key, n] of [...hits].sort(([a], [b]) => a.localeCompare(b))) console.log(`  ${String(n).padStart(6)} / ${String(totals.get(key)).padStart(6)}  ${key}`);
  console.log(`  benign rows hit: ${benign.length} of ${rows.filter((r) => r.label === 'benign').length}`);
  for (const line of benign) console.log(`    ${line}`);
}
