import { INVISIBLE_KINDS } from '../normalize/invisible-payloads.js';
import { matchAll, type RuleHit } from './rule-hit.js';

/** A documented phrase that prompt-injection or jailbreak attempts use. */
export interface AttackPattern {
  id: string;
  category: 'injection' | 'jailbreak';
  /** What the pattern catches, for reports and the docs. */
  description: string;
  pattern: RegExp;
}

const w = String.raw`(?:\s+\w+){0,3}`; // up to three filler words between key phrases

/**
 * The curated set. Each entry is a phrase family seen in public injection and jailbreak data
 * (HackAPrompt, in-the-wild "DAN" prompts): narrow on purpose, since the classifiers carry the
 * fuzzy cases; a pattern here must be rare in benign text.
 */
export const ATTACK_PATTERNS: readonly AttackPattern[] = [
  { id: 'ignore-previous', category: 'injection', description: 'tells the model to ignore, disregard or forget its earlier instructions',
    pattern: new RegExp(String.raw`\b(?:ignore|disregard|forget|skip|override|bypass)${w}\s+(?:previous|prior|above|earlier|preceding|initial|original|system|all)${w}\s+(?:instructions?|prompts?|rules?|directions?|guidelines?|context|messages?)\b`, 'gi') },
  { id: 'new-instructions', category: 'injection', description: 'announces replacement instructions ("new instructions:", "from now on you will")',
    pattern: /\b(?:new|updated|real|actual)\s+(?:instructions?|system\s+prompt)\s*:|\bfrom\s+now\s+on,?\s+you\s+(?:will|must|are|shall)\b/gi },
  { id: 'prompt-extraction', category: 'injection', description: 'asks for the system prompt or hidden instructions verbatim',
    pattern: new RegExp(String.raw`\b(?:print|reveal|show|repeat|output|display|tell\s+me|give\s+me|what\s+(?:is|are|was|were))${w}\s+(?:your|the)${w}\s+(?:system\s+prompt|initial\s+prompt|hidden\s+(?:prompt|instructions?)|original\s+instructions?|instructions\s+above|text\s+above)\b`, 'gi') },
  { id: 'role-markers', category: 'injection', description: 'smuggles chat-template role markers (<|im_start|>system, [INST], ### System:)',
    pattern: /<\|im_start\|>\s*system|<\|system\|>|\[\/?INST\]|<<SYS>>|^\s*#{2,3}\s*(?:system|instruction)s?\s*:/gim },
  { id: 'dan', category: 'jailbreak', description: '"DAN" / "Do Anything Now" personas',
    pattern: /\bDAN\b(?=[^.]{0,80}\b(?:mode|anything|jailbreak|persona|now)\b)|\bdo\s+anything\s+now\b/gi },
  { id: 'developer-mode', category: 'jailbreak', description: '"developer mode", "jailbreak mode", "god mode" switches',
    pattern: /\b(?:developer|dev|jailbreak|jailbroken|god|unrestricted|unfiltered|uncensored)\s+mode\b/gi },
  { id: 'no-restrictions', category: 'jailbreak', description: 'claims the model has no rules, filters, ethics or limits',
    pattern: /\b(?:no|without|free\s+(?:of|from))\s+(?:any\s+)?(?:restrictions?|rules|filters?|limits?|limitations|guidelines|ethics|morals?|censorship|content\s+polic(?:y|ies))\b(?=[^.]{0,60}\b(?:you|your|ai|model|assistant|answer|respond)\b)|\b(?:you|your)\b[^.]{0,40}\b(?:are|is)\s+(?:no\s+longer|not)\s+bound\s+by\b/gi },
  { id: 'unfiltered-persona', category: 'jailbreak', description: 'asks the model to act as an unfiltered, amoral or evil persona',
    pattern: /\b(?:act|behave|respond|pretend|roleplay)\s+(?:as|like|to\s+be)\s+(?:an?\s+)?(?:unfiltered|uncensored|amoral|unethical|evil|unrestricted|jailbroken)\b/gi },
  { id: 'refusal-suppression', category: 'jailbreak', description: 'forbids refusing or adding warnings',
    pattern: /\b(?:never|do\s+not|don't|must\s+not)\s+(?:refuse|decline|say\s+(?:no|you\s+can(?:no|')t)|apologi[sz]e|add\s+(?:any\s+)?(?:warnings?|disclaimers?))\b/gi },
];

/** Attack phrases in `text` (run on the original, the normalized text and each decoded payload). */
export function findAttackPatterns(text: string): RuleHit[] {
  return ATTACK_PATTERNS.flatMap((p) =>
    matchAll(text, p.pattern, { rule: `attack.${p.id}`, category: p.category, placeholder: `[${p.category.toUpperCase()}]` }));
}

/** Characters that render as nothing but carry text: a reader never sees what the model would read. */
const INVISIBLE_PAYLOADS: ReadonlySet<string> = new Set(INVISIBLE_KINDS);

/**
 * Evasion itself, whatever the text says:
 * - encodings nested past the normalizer's depth limit (base64 of base64 of …): no reader needs
 *   that, and whatever is inside was never screened, so the nesting is a jailbreak finding;
 * - text hidden in invisible characters: the `evasion` category, whose action the policy sets
 *   (the presets warn, `strict` blocks). What the hidden text says is judged like any other text.
 */
export function findEvasion(text: string, flags: readonly string[]): RuleHit[] {
  const hits: RuleHit[] = [];
  if (flags.includes('decoding-limit')) hits.push({ rule: 'attack.nested-encoding', category: 'jailbreak', span: [0, text.length], placeholder: '[JAILBREAK]', source: 'original' });
  if (flags.some((f) => INVISIBLE_PAYLOADS.has(f))) hits.push({ rule: 'evasion.invisible-payload', category: 'evasion', span: [0, text.length], placeholder: '[HIDDEN TEXT]', source: 'original' });
  return hits;
}
