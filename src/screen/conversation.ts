import type { ConversationPolicy, DirectionPolicy } from '../policy/policy.js';

/** What the conversation layer knows about one conversation. */
export interface ConversationState {
  turns: number;
  /** Decayed running risk per category, in units of the category's threshold (see `turnRisk`). */
  risk: Record<string, number>;
  blocked: number;
}

/** The conversation layer's view of the turn being screened. */
export interface ConversationSignal {
  turns: number;
  /** Per category: `1 − e^(−risk)` of the running risk with this turn, or 0 where this turn is not elevated. */
  escalation: Record<string, number>;
  /** The category whose escalation is highest, and that escalation as a score. */
  top: { category: string; score: number } | null;
  /** 1 when the turn limit is exceeded, else 0. */
  turnLimit: number;
  /** Threshold multiplier after repeated blocked attempts (1 until `repeatLimit`). */
  thresholdFactor: number;
}

/** Share of its threshold a turn's score must reach to count, when the policy does not say. */
export const DEFAULT_ELEVATED = 0.5;

/**
 * A turn's calibrated risk per classifier category: its score divided by the policy's threshold
 * for that category (1 = at the threshold). Raw scores are not comparable across labels or
 * models (a calibrated threshold can sit at 0.4 for one label and 0.9 for another); a score
 * relative to its threshold is. Categories the policy does not act on carry no risk.
 */
export function turnRisk(scores: Record<string, number>, rules: DirectionPolicy): Record<string, number> {
  const risk: Record<string, number> = {};
  for (const [category, score] of Object.entries(scores)) {
    const rule = rules.categories[category];
    if (!rule || rule.action === 'allow' || rule.threshold <= 0) continue;
    risk[category] = score / rule.threshold;
  }
  return risk;
}

const emptyState = (): ConversationState => ({ turns: 0, risk: {}, blocked: 0 });

/**
 * Risk tracked over a conversation's user turns. A single message can look harmless while the
 * conversation escalates: each turn that is *elevated* (its calibrated risk at least
 * `policy.elevated` of the threshold) adds that risk to a running total that decays (×`decay`
 * per turn), so several near-threshold turns in a row add up while one old spike fades.
 * Escalation needs a history: a turn with no earlier elevated turn of its category is judged by
 * that category alone. Three rules keep it from punishing the harmless:
 * - only an elevated turn can be flagged for escalation: a harmless prompt after an attack is
 *   judged on itself;
 * - a blocked turn adds no risk: it never reached the model, and the block already answered it;
 * - risk is relative to each category's threshold, so it follows the policy (`permissive` raises
 *   thresholds and so lowers every turn's risk).
 * Counting turns catches long-conversation drift; counting blocks makes repeat offenders face
 * lower thresholds.
 */
export class ConversationTracker {
  private readonly states = new Map<string, ConversationState>();

  constructor(private readonly maxConversations = 256) {}

  /** The state before the turn: what thresholds apply to it. */
  peek(id: string, policy: ConversationPolicy): ConversationSignal {
    const state = this.states.get(id) ?? emptyState();
    return this.signal(state.turns, state.blocked, {}, policy);
  }

  /** The signal for a turn with this risk (`turnRisk`), without recording it. */
  assess(id: string, risk: Record<string, number>, policy: ConversationPolicy): ConversationSignal {
    const state = this.states.get(id) ?? emptyState();
    const elevated = policy.elevated ?? DEFAULT_ELEVATED;
    const escalation: Record<string, number> = {};
    for (const [category, r] of Object.entries(this.accumulate(state.risk, risk, policy))) {
      // Escalation needs a history: an elevated turn after earlier ones that got through. A first
      // turn is judged by its own category alone.
      escalation[category] = (risk[category] ?? 0) >= elevated && (state.risk[category] ?? 0) > 0 ? 1 - Math.exp(-r) : 0;
    }
    return this.signal(state.turns + 1, state.blocked, escalation, policy);
  }

  /** Records a user turn once its verdict is known: a blocked turn counts as a turn and a block, not as risk. */
  commit(id: string, risk: Record<string, number>, blocked: boolean, policy: ConversationPolicy): void {
    const state = this.states.get(id) ?? emptyState();
    this.states.delete(id);
    this.states.set(id, state); // most recently used last
    if (this.states.size > this.maxConversations) this.states.delete(this.states.keys().next().value!);
    state.turns += 1;
    if (blocked) state.blocked += 1;
    else state.risk = this.accumulate(state.risk, risk, policy);
  }

  /** Forgets a conversation (e.g. the user started a new chat). */
  reset(id: string): void {
    this.states.delete(id);
  }

  private accumulate(before: Record<string, number>, risk: Record<string, number>, policy: ConversationPolicy): Record<string, number> {
    const elevated = policy.elevated ?? DEFAULT_ELEVATED;
    const after: Record<string, number> = {};
    for (const category of new Set([...Object.keys(before), ...Object.keys(risk)])) {
      const q = risk[category] ?? 0;
      after[category] = (before[category] ?? 0) * policy.decay + (q >= elevated ? q : 0);
    }
    return after;
  }

  private signal(turns: number, blocked: number, escalation: Record<string, number>, policy: ConversationPolicy): ConversationSignal {
    let top: ConversationSignal['top'] = null;
    for (const [category, score] of Object.entries(escalation)) if (!top || score > top.score) top = { category, score };
    return {
      turns,
      escalation,
      top,
      turnLimit: turns > policy.maxTurns ? 1 : 0,
      thresholdFactor: blocked >= policy.repeatLimit ? policy.repeatFactor : 1,
    };
  }
}
