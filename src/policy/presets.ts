import type { CategoryRule, Policy } from './policy.js';

const rule = (threshold: number, action: CategoryRule['action']): CategoryRule => ({ threshold, action });

/**
 * The conversation layer's parameters, fitted by `npm run fit:conversation -- --model guard-use-lite`
 * (test/eval/fit-conversation.ts) on half of the multi-turn jailbreaks (red_queen) and of the
 * benign conversations written for this project: the most attack conversations caught with no
 * benign conversation, and no benign prompt after a blocked attack, blocked beyond what the guard
 * blocks without the layer. `permissive` asks for more before it calls a conversation escalating.
 */
const CONVERSATION_FIT = { decay: 0.8, elevated: 0.2, escalation: 0.7 };

function preset(name: string, input: number, output: number, piiAction: 'redact' | 'warn'): Policy {
  return {
    version: 1,
    name,
    input: {
      categories: {
        injection: rule(input, 'block'),
        jailbreak: rule(input, 'block'),
        harmful: rule(input, 'block'),
        toxic: rule(Math.min(0.95, input + 0.1), name === 'permissive' ? 'warn' : 'block'),
        pii: rule(0.5, piiAction),
        secrets: rule(0.5, 'redact'),
        'conversation:escalation': rule(name === 'permissive' ? 0.9 : CONVERSATION_FIT.escalation, 'block'),
        'conversation:turns': rule(0.5, name === 'strict' ? 'block' : 'warn'),
        // Text hidden in invisible characters: named, and judged on what it says; `strict` blocks the hiding itself.
        evasion: rule(0.5, name === 'strict' ? 'block' : 'warn'),
      },
    },
    output: {
      categories: {
        harmful: rule(output, 'block'),
        toxic: rule(output, 'block'),
        pii: rule(0.5, 'redact'),
        secrets: rule(0.5, 'redact'),
        evasion: rule(0.5, name === 'strict' ? 'block' : 'warn'),
      },
    },
    topics: { deny: {} },
    conversation: { maxTurns: name === 'strict' ? 30 : 100, decay: CONVERSATION_FIT.decay, elevated: CONVERSATION_FIT.elevated, repeatLimit: 3, repeatFactor: 0.8 },
    failureMode: name === 'permissive' ? 'open' : 'closed',
    blockMessage: 'This message was withheld by the on-device guard.',
    // The classifiers read English. Elsewhere their scores only warn, except under `strict`.
    language: { covered: ['en'], uncovered: name === 'strict' ? 'screen' : 'warn' },
  };
}

/** Per-label thresholds a model's manifest calibrated (see `Calibration` in the engine). */
export type PresetCalibration = Record<string, { default: number; fpr1: number; fpr01?: number; output?: number }>;

/**
 * A preset fitted to the loaded model: where the model's manifest calibrated a label, the
 * classifier thresholds come from that calibration instead of the fixed numbers. `balanced`
 * uses the manifest's `default` (for the shipped models: 2% of benign validation text flagged
 * by any label), `permissive` the 0.1%-per-label one (fewer false positives), and `strict` the
 * 1%-per-label one where that is lower than the default, else 0.8 × the default (more recall,
 * more false positives). The output direction uses the manifest's reply calibration where it has
 * one (`output`: for `balanced` as is, 0.8 × for `strict`, the 0.1% input one for `permissive`
 * when higher), else the same thresholds as the input.
 */
export function calibratedPreset(name: keyof typeof POLICY_PRESETS, calibration: PresetCalibration): Policy {
  const policy = structuredClone(POLICY_PRESETS[name]);
  for (const [direction, rules] of [['input', policy.input], ['output', policy.output]] as const) {
    for (const [label, rule] of Object.entries(rules.categories)) {
      const c = calibration[label];
      if (!c) continue;
      if (direction === 'output' && c.output !== undefined) {
        rule.threshold = name === 'balanced' ? c.output : name === 'strict' ? 0.8 * c.output : Math.max(c.output, c.fpr01 ?? c.output);
        continue;
      }
      rule.threshold = name === 'balanced' ? c.default
        : name === 'permissive' ? c.fpr01 ?? c.default
        : c.fpr1 < c.default ? c.fpr1 : 0.8 * c.default;
    }
  }
  return policy;
}

/**
 * Shipped presets. Thresholds are on calibrated probabilities: `strict` blocks at 0.35,
 * `balanced` at 0.5, `permissive` at 0.8 and only warns on toxicity. Their measured
 * false-positive rates are in the README (`npm run eval`).
 */
export const POLICY_PRESETS: Readonly<Record<'strict' | 'balanced' | 'permissive', Policy>> = {
  strict: preset('strict', 0.35, 0.4, 'redact'),
  balanced: preset('balanced', 0.5, 0.5, 'redact'),
  permissive: preset('permissive', 0.8, 0.8, 'warn'),
};
