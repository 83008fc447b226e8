import type { ConversationPolicy } from '../policy/policy.js';

/** What the conversation layer knows about one conversation. */
export interface ConversationState {
  turns: number;
  /** Decayed running risk per category: `risk ← decay · risk + score` each user turn. */
  risk: Record<string, number>;
  blocked: number;
}

/** The conversation layer's view of the turn being screened. */
export interface ConversationSignal {
  turns: number;
  /** Running risk after this turn, per category, squashed into [0, 1): `1 − e^(−risk)`. */
  escalation: Record<string, number>;
  /** The category whose running risk is highest, and that risk as a score. */
  top: { category: string; score: number } | null;
  /** 1 when the turn limit is exceeded, else 0. */
  turnLimit: number;
  /** Threshold multiplier after repeated blocked attempts (1 until `repeatLimit`). */
  thresholdFactor: number;
}

/**
 * Risk tracked over a conversation's user turns. A single message can look harmless while the
 * conversation escalates: each turn's classifier score is added to a running total that
 * decays (×`decay` per turn), so several medium scores in a row add up while one old spike
 * fades. Escalation score = 1 − e^(−risk): one turn at 0.3 gives 0.26; three in a row at 0.3
 * with decay 0.7 give 1 − e^(−0.657) = 0.48, four give 0.53.
 * Counting turns catches long-conversation drift; counting blocks makes repeat offenders face
 * lower thresholds.
 */
export class ConversationTracker {
  private readonly states = new Map<string, ConversationState>();

  constructor(private readonly maxConversations = 256) {}

  /** The state before the turn (not updated): what thresholds apply to this turn. */
  peek(id: string, policy: ConversationPolicy): ConversationSignal {
    return this.signal(this.states.get(id) ?? { turns: 0, risk: {}, blocked: 0 }, policy);
  }

  /** Records a user turn's scores and returns the updated signal. */
  recordTurn(id: string, scores: Record<string, number>, policy: ConversationPolicy): ConversationSignal {
    const state = this.states.get(id) ?? { turns: 0, risk: {}, blocked: 0 };
    this.states.delete(id);
    this.states.set(id, state); // most recently used last
    if (this.states.size > this.maxConversations) this.states.delete(this.states.keys().next().value!);
    state.turns += 1;
    for (const [category, score] of Object.entries(scores)) {
      state.risk[category] = (state.risk[category] ?? 0) * policy.decay + score;
    }
    return this.signal(state, policy);
  }

  /** Counts a blocked prompt against the conversation. */
  recordBlock(id: string): void {
    const state = this.states.get(id);
    if (state) state.blocked += 1;
  }

  /** Forgets a conversation (e.g. the user started a new chat). */
  reset(id: string): void {
    this.states.delete(id);
  }

  private signal(state: ConversationState, policy: ConversationPolicy): ConversationSignal {
    const escalation = Object.fromEntries(Object.entries(state.risk).map(([c, r]) => [c, 1 - Math.exp(-r)]));
    let top: ConversationSignal['top'] = null;
    for (const [category, score] of Object.entries(escalation)) if (!top || score > top.score) top = { category, score };
    return {
      turns: state.turns,
      escalation,
      top,
      turnLimit: state.turns > policy.maxTurns ? 1 : 0,
      thresholdFactor: state.blocked >= policy.repeatLimit ? policy.repeatFactor : 1,
    };
  }
}
