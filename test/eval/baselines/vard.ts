import vard, { type Threat } from '@andersmyrmel/vard';
import type { PeerGuard } from './peer.js';

/** Every threat type vard knows, set to `warn` so that each match reaches `onWarn` and none throws. */
const THREAT_TYPES = ['instructionOverride', 'roleManipulation', 'delimiterInjection', 'systemPromptLeak', 'encoding'] as const;
/** vard's default preset (`moderate`) acts on threats with severity ≥ 0.7. */
const MODERATE_THRESHOLD = 0.7;

let seen: Threat[] = [];
// Threshold 0 reports every pattern hit with its severity; the length cap is lifted so that a long
// benign text is judged by its patterns, not refused for its length.
const detector = THREAT_TYPES.reduce((v, type) => v.warn(type), vard().threshold(0).maxLength(10_000_000)).onWarn((t) => {
  seen.push(t);
});

/**
 * `@andersmyrmel/vard` 1.2.0: regular-expression patterns for prompt injection (instruction
 * override, role manipulation, delimiter injection, system-prompt leak, encodings), each hit with
 * a fixed severity. Its score here is the highest severity of any hit (0 with none); it flags at
 * 0.7, its default (`moderate`) threshold. It claims prompt injection, and role manipulation
 * ("you are now …") is the jailbreak pattern, so it is compared on injection and jailbreak (the
 * same score for both); it claims nothing about harmful requests or toxic text.
 */
export const vardPeer: PeerGuard = {
  name: '@andersmyrmel/vard 1.2.0',
  claims: { injection: 'max severity, all threat types', jailbreak: 'max severity, all threat types' },
  thresholds: { injection: MODERATE_THRESHOLD, jailbreak: MODERATE_THRESHOLD },
  graded: false,
  async score(text) {
    seen = [];
    detector.safeParse(text);
    const top = seen.reduce((m, t) => Math.max(m, t.severity), 0);
    return { injection: top, jailbreak: top };
  },
};
