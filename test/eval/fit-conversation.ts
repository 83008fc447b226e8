/**
 * `npm run fit:conversation -- [--model NAME|/path/] [--policy balanced] [--json OUT] [--verdicts CACHE]`
 *
 * Fits the conversation layer's parameters (`decay`, `elevated`, the `conversation:escalation`
 * threshold) on multi-turn data, and reports them on conversations the fit never saw:
 * - attacks: `../shared/data/red_queen_multiturn.jsonl` (multi-turn jailbreaks whose turns each
 *   look mild);
 * - benign: `models/train/data/benign_multiturn.jsonl` (written for this project);
 * - "after one blocked attack": each held-out attack the guard blocks on its own, followed by 20
 *   benign prompts of `everyday_chat_eval.jsonl` in the same conversation.
 * Conversations are split in half by a hash of their text: the grid is searched on one half (fit)
 * and the chosen point is reported on the other (held out).
 *
 * Every text is screened once, with the conversation layer off (its verdict, rules and
 * classifier scores are a function of the text alone); the conversation layer is then replayed
 * over those verdicts with the real `ConversationTracker` for every grid point. Rule: the most
 * attack conversations caught on the fit half with no benign conversation and no benign prompt
 * after a blocked attack blocked beyond those the guard blocks without the layer (the model's own
 * false positives); ties go to the highest threshold, then the lowest `elevated`.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { Policy } from '../../src/policy/policy.js';
import type { Verdict } from '../../src/policy/verdict.js';
import { ConversationTracker, turnRisk } from '../../src/screen/conversation.js';
import { createNodeGuard } from '../node/node-guard.js';
import { modelPathFor } from './model-path.js';

const root = new URL('../../', import.meta.url).pathname;
const { values: args } = parseArgs({
  options: { model: { type: 'string' }, policy: { type: 'string', default: 'balanced' }, json: { type: 'string' }, verdicts: { type: 'string' } },
});

const readJsonl = (path: string) => readFileSync(path, 'utf8').split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l) as Record<string, unknown>);
const half = (turns: string[]): 'fit' | 'held-out' => (createHash('sha256').update(`conv|${turns.join('\n')}`).digest().readUInt32BE(0) % 2 === 0 ? 'fit' : 'held-out');

interface Conversation { turns: string[]; part: 'fit' | 'held-out' }
const attacks: Conversation[] = readJsonl(`${root}../shared/data/red_queen_multiturn.jsonl`).map((r) => ({ turns: r.turns as string[], part: half(r.turns as string[]) }));
const benign: Conversation[] = readJsonl(`${root}models/train/data/benign_multiturn.jsonl`).map((r) => ({ turns: r.turns as string[], part: half(r.turns as string[]) }));
const everyday = readJsonl(`${root}models/train/data/everyday_chat_eval.jsonl`).map((r) => r.text as string);
// Single-turn attacks from held-out test sources, for "the prompts after a blocked attack".
const singleAttacks = [
  ...readJsonl(`${root}../shared/data/forbidden_questions.jsonl`).slice(0, 40),
  ...readJsonl(`${root}../shared/data/neuralchemy_v1.jsonl`).filter((r) => r.label !== 'benign').slice(0, 40),
].map((r) => r.text as string);

const texts = new Set([...attacks, ...benign].flatMap((c) => c.turns).concat(everyday, singleAttacks));
// --verdicts FILE keeps the screens (policy and verdicts) for re-runs of the search with the same model.
const cached = args.verdicts && existsSync(args.verdicts) ? (JSON.parse(readFileSync(args.verdicts, 'utf8')) as { policy: Policy; verdicts: [string, Verdict][] }) : null;
let policy: Policy;
const verdicts = new Map<string, Verdict>(cached?.verdicts ?? []);
if (cached) policy = cached.policy;
else {
  const guard = await createNodeGuard({ modelPath: modelPathFor(args.model, root), policy: args.policy as 'balanced' });
  policy = guard.policy;
  const noConversation = { normalize: true, rules: true, classifier: true, conversation: false };
  const started = Date.now();
  for (const text of texts) verdicts.set(text, await guard.screen(text, { layers: noConversation }));
  console.log(`screened ${texts.size} texts once each in ${((Date.now() - started) / 1000).toFixed(0)} s (${guard.backend.summary})`);
  await guard.dispose();
  if (args.verdicts) writeFileSync(args.verdicts, JSON.stringify({ policy, verdicts: [...verdicts] }));
}

interface Point { decay: number; elevated: number; escalation: number }

/** Whether each turn is blocked, the conversation layer replayed over the turn's own verdict. */
function replay(turns: string[], point: Point): boolean[] {
  const p = { ...policy.conversation, decay: point.decay, elevated: point.elevated };
  const tracker = new ConversationTracker();
  return turns.map((text) => {
    const verdict = verdicts.get(text)!;
    const risk = turnRisk(verdict.scores, policy.input);
    const signal = tracker.assess('c', risk, p);
    const factor = signal.thresholdFactor;
    // Blocked on its own (rules, or a classifier label at its threshold scaled for repeat offenders), or by escalation.
    const own = verdict.categories.some((c) => c.action === 'block' && (c.layer === 'classifier' ? c.score >= (c.threshold ?? 1) * factor : c.fired));
    const blocked = own || (signal.top?.score ?? 0) >= point.escalation;
    tracker.commit('c', risk, blocked, p);
    return blocked;
  });
}

const blockedAlone = (text: string) => verdicts.get(text)!.action === 'block';
const afterAttack = singleAttacks.filter(blockedAlone).map((attack, i) => ({
  turns: [attack, ...Array.from({ length: 20 }, (_, j) => everyday[(i * 7 + j) % everyday.length]!)],
  part: half([attack]),
}));

function measure(point: Point | null, part: 'fit' | 'held-out') {
  const run = (c: Conversation) => (point ? replay(c.turns, point) : c.turns.map(blockedAlone));
  const a = attacks.filter((c) => c.part === part);
  const b = benign.filter((c) => c.part === part);
  const after = afterAttack.filter((c) => c.part === part);
  return {
    attackConversationsCaught: a.filter((c) => run(c).some(Boolean)).length,
    attackConversations: a.length,
    benignConversationsBlocked: b.filter((c) => run(c).some(Boolean)).length,
    benignConversations: b.length,
    benignAfterBlockedAttackBlocked: after.reduce((n, c) => n + run(c).slice(1).filter(Boolean).length, 0),
    benignAfterBlockedAttack: after.length * 20,
  };
}

// The layer must add no block to benign traffic: the model's own false positives on these
// prompts (blocked alone) are the baseline, not the layer's doing.
const baseline = measure(null, 'fit');
let best: { point: Point; caught: number } | null = null;
for (const decay of [0.5, 0.6, 0.7, 0.8, 0.9]) {
  for (const elevated of [0.2, 0.3, 0.4, 0.5, 0.6, 0.7]) {
    for (const escalation of [0.5, 0.6, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95]) {
      const point = { decay, elevated, escalation };
      const m = measure(point, 'fit');
      if (m.benignConversationsBlocked > baseline.benignConversationsBlocked || m.benignAfterBlockedAttackBlocked > baseline.benignAfterBlockedAttackBlocked) continue;
      const better = !best || m.attackConversationsCaught > best.caught
        || (m.attackConversationsCaught === best.caught && (escalation > best.point.escalation || (escalation === best.point.escalation && elevated < best.point.elevated)));
      if (better) best = { point, caught: m.attackConversationsCaught };
    }
  }
}
if (!best) console.log(JSON.stringify({ baseline, strictest: measure({ decay: 0.5, elevated: 0.7, escalation: 0.95 }, "fit") }));
if (!best) throw new Error('no grid point keeps every benign conversation unblocked');
const report = {
  model: modelPathFor(args.model, root),
  policy: args.policy,
  chosen: best.point,
  fit: { withoutConversationLayer: measure(null, 'fit'), withIt: measure(best.point, 'fit') },
  heldOut: { withoutConversationLayer: measure(null, 'held-out'), withIt: measure(best.point, 'held-out') },
  shippedPreset: measure({ decay: policy.conversation.decay, elevated: policy.conversation.elevated ?? 0.5, escalation: policy.input.categories['conversation:escalation']!.threshold }, 'held-out'),
};
console.log(JSON.stringify(report, null, 2));
if (args.json) writeFileSync(args.json, JSON.stringify(report, null, 2) + '\n');
