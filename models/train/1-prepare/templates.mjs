// Jailbreak templates (a placeholder where the request goes) made into rows: each template is
// filled with harmful requests and with benign ones of the same split, so a template seen in
// training never reaches validation or test, and no request crosses splits either.
import { createHash } from 'node:crypto';
import { makeRng } from '../lib/rng.mjs';

const PLACEHOLDER = /\[INSERT PROMPT HERE\]|\[PROMPT\]|\{query\}|\{user_input\}|\{input_string\}|\{prompt\}/g;

/** The template with the request in its placeholder(s), or after it when it has none. */
export function fillTemplate(template, request) {
  const filled = template.replace(PLACEHOLDER, () => request);
  return filled === template ? `${template.trimEnd()}\n\n${request}` : filled;
}

/** Split of a template: 20% test, 15% validation, the rest train, by a hash of its text. */
export function templateSplit(text) {
  const u = createHash('sha256').update(`template|${text}`).digest().readUInt32BE(0) / 2 ** 32;
  return u < 0.2 ? 'test' : u < 0.35 ? 'val' : 'train';
}

/**
 * Rows from templates. `harmful` / `benign`: request texts per split ({ train, val, test }).
 * A template filled with a harmful request is labelled jailbreak + harmful; filled with a benign
 * request it stays a jailbreak (the persona that lifts the safety rules is the attack, and it
 * persists into the next turns) but is a hard negative for `harmful`: the request alone decides
 * that label.
 * @returns {{ text: string, labels: string[], split: string, source: string, category: string }[]}
 */
export function templateRows({ templates, harmful, benign, seed, harmfulPerTemplate = 3, benignPerTemplate = 1 }) {
  const rng = makeRng(seed + 4242);
  const pick = (xs) => xs[Math.floor(rng() * xs.length)];
  const out = [];
  for (const t of templates) {
    const split = templateSplit(t.text);
    const source = `template:${t.source}`;
    for (let i = 0; i < harmfulPerTemplate && harmful[split].length; i++) {
      out.push({ text: fillTemplate(t.text, pick(harmful[split])), labels: ['jailbreak', 'harmful'], split, source, category: t.category });
    }
    for (let i = 0; i < benignPerTemplate && benign[split].length; i++) {
      out.push({ text: fillTemplate(t.text, pick(benign[split])), labels: ['jailbreak'], split, source, category: `${t.category}:benign-request` });
    }
  }
  return out;
}
