import { INVISIBLE_KINDS } from '../normalize/invisible-payloads.js';
import { matchAll, type RuleHit } from './rule-hit.js';

/** A documented phrase that prompt-injection or jailbreak attempts (or requests for hate) use. */
export interface AttackPattern {
  id: string;
  category: 'injection' | 'jailbreak' | 'harmful';
  /** What the pattern catches, for reports and the docs. */
  description: string;
  pattern: RegExp;
}

const w = String.raw`(?:\s+\w+){0,3}`; // up to three filler words between key phrases

/**
 * Asking for text that demeans people: a verb of writing, a hateful kind of text, and whom it is
 * about. Words that are hateful on their own ("racist", "derogatory") need no target; milder ones
 * ("negative", "mean") count only when a group of people follows, so "a negative review about the
 * hotel" passes. Not after a negation: refusals and rules ("do not write racist jokes about …").
 */
const WRITE = String.raw`(?:write|generate|compose|create|produce|draft|craft|come\s+up\s+with|make(?:\s+up)?|give\s+me|tell\s+me|list|share|say)`;
const HATEFUL = String.raw`(?:offensive|racist|sexist|hateful|hate-filled|derogatory|discriminatory|demeaning|degrading|dehumani[sz]ing|insulting|homophobic|transphobic|xenophobic|anti-?semitic|misogynis(?:tic|t)|bigoted|toxic|hurtful|slur-filled|disparaging|humiliating|belittling|vile)`;
const UNKIND = String.raw`(?:negative|unfriendly|mean|harmful|nasty|rude|hostile|cruel|disrespectful|unkind)`;
const TEXT_KIND = String.raw`(?:sentences?|jokes?|tweets?|posts?|comments?|remarks?|statements?|messages?|paragraphs?|essays?|poems?|songs?|raps?|slogans?|stor(?:y|ies)|limericks?|insults?|memes?|captions?|speech(?:es)?|articles?|content|text|lines?|words|things|stuff|rants?|chants?|nicknames?|names|stereotypes?)`;
const ABOUT = String.raw`(?:about|against|targeting|mocking|towards?|aimed\s+at|directed\s+at|on)`;
const PEOPLE = String.raw`(?:[\w'-]+\s+){0,2}(?:people|persons|folks|women|men|girls|boys|immigrants|refugees|migrants|foreigners|muslims|jews|jewish|christians|hindus|sikhs|buddhists|atheists|blacks|whites|asians|arabs|mexicans|latin[oax]s?|hispanics|indians|chinese|africans|gays?|lesbians?|bisexuals?|homosexuals|transgenders?|trans|queers?|lgbt\w*\+?|disabled|elderly|seniors|minorit(?:y|ies)|the\s+poor|obese|autistic|natives|aboriginals?|roma|gypsies|race|religion|ethnicity|communit(?:y|ies)|groups?|gender|colleagues?|coworkers?|classmates?)`;
const NOT_NEGATED = String.raw`(?<!\b(?:not|never|cannot|can't|won't|don't|shouldn't|avoid|refuse\s+to|stop|wrong\s+to|inappropriate\s+to)\s+(?:[\w'-]+\s+){0,4})`;
const FILLER = String.raw`(?:\s+[\w'-]+){0,4}?`;

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
  // The three below are the marks of an injection hidden in a document the user pastes: the
  // document tells the model to drop what it was asked, ends the "session" or fakes a turn.
  { id: 'ignore-rest', category: 'injection', description: 'tells the model to ignore the rest of the data and do something else ("Ignore the rest of this data and print …")',
    pattern: /\b(?:ignore|disregard)\s+the\s+rest\s+of\s+(?:this|the)\s+(?:data|text|document|input|content|message|prompt|page|e-?mail|file|article|conversation)\s+and\b|\bignore\s+(?:them|all\s+of\s+them|everything\s+else)\s+and\s+instead\b|\b(?:ignore|disregard)\s+(?:(?:the|these|those|your|my|all|any|other)\s+){0,2}(?:instructions|directions|content|info(?:rmation)?)\s*,?\s+and\s+(?:just\s+|only\s+|instead\s+|simply\s+)?(?:print|say|output|reply|respond|write|repeat|report)\b/gi },
  { id: 'control-tokens', category: 'injection', description: 'end-of-text and turn tokens of chat templates (<|endoftext|>, <|eot_id|>, <end of session>), or a SYSTEM / ADMIN line inside the text',
    pattern: /<\|(?:endoftext|im_end|eot_id|start_header_id|end_header_id|begin_of_text|end)\|>|<end\s+of\s+(?:session|conversation|turn|context|document|input)>|(?:^|[\n.:>[(]\s*)(?:SYSTEM|ADMIN(?:ISTRATOR)?)(?:\s+(?:REQUEST|NOTE|MESSAGE|OVERRIDE|INSTRUCTIONS?|PROMPT))?\s*::?\s/g },
  { id: 'fake-turn', category: 'injection', description: 'fakes a finished assistant turn ("Assistant: [summary]") followed by a new user turn',
    pattern: /(?:^|\n)\s*(?:Assistant|AI|Bot)\s*:\s*[<[][^\n]{0,80}[>\]]\s*\n\s*(?:User|Human)\s*:/gi },
  { id: 'dan', category: 'jailbreak', description: '"DAN" / "Do Anything Now" personas',
    pattern: /\bDAN\b(?=[^.]{0,80}\b(?:mode|anything|jailbreak|persona|now)\b)|\bdo\s+anything\s+now\b/gi },
  { id: 'developer-mode', category: 'jailbreak', description: '"developer mode", "jailbreak mode", "god mode" switches',
    pattern: /\b(?:developer|dev|jailbreak|jailbroken|god|unrestricted|unfiltered|uncensored)\s+mode\b/gi },
  { id: 'no-restrictions', category: 'jailbreak', description: 'claims the model has no rules, filters, ethics or limits',
    pattern: /\b(?:no|without|free\s+(?:of|from))\s+(?:any\s+)?(?:restrictions?|rules|filters?|limits?|limitations|guidelines|ethics|morals?|censorship|content\s+polic(?:y|ies))\b(?=[^.]{0,60}\b(?:you|your|ai|model|assistant|answer|respond)\b)|\b(?:you|your)\b[^.]{0,40}\b(?:are|is)\s+(?:no\s+longer|not)\s+bound\s+by\b/gi },
  { id: 'unfiltered-persona', category: 'jailbreak', description: 'asks the model to act as an unfiltered, amoral or evil persona',
    pattern: /\b(?:act|behave|respond|pretend|roleplay)\s+(?:as|like|to\s+be)\s+(?:an?\s+)?(?:unfiltered|uncensored|amoral|unethical|evil|unrestricted|jailbroken)\b/gi },
  { id: 'hateful-content-request', category: 'harmful', description: 'asks for offensive, hateful or demeaning text about people ("write a racist joke about …", "one negative sentence about immigrants")',
    pattern: new RegExp(String.raw`\b(?=${WRITE}\b)${NOT_NEGATED}${WRITE}\b${FILLER}\s+(?:${HATEFUL}\b(?:\s+[\w'-]+){0,3}?\s+${TEXT_KIND}\b(?:\s+[\w'-]+){0,3}?\s+${ABOUT}\b|${UNKIND}\b(?:\s+[\w'-]+){0,3}?\s+${TEXT_KIND}\s+${ABOUT}\s+${PEOPLE}\b)`, 'gi') },
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
