import { checkInjection, checkJailbreak, checkMalicious } from 'llm_guardrail';
import type { PeerGuard } from './peer.js';

/**
 * `llm_guardrail` 2.1.2: three TF-IDF + logistic-regression models (injection, jailbreak,
 * "malicious content"). Each check returns `confidence`, the model's positive-class probability,
 * and `detected` at the model's own threshold (0.5 in every shipped model file). We compare
 * injection → injection, jailbreak → jailbreak, malicious → harmful; it claims nothing like
 * our `toxic` (hateful or abusive text), so toxic is left out of its figures.
 */
export const llmGuardrail: PeerGuard = {
  name: 'llm_guardrail 2.1.2',
  claims: { injection: 'checkInjection', jailbreak: 'checkJailbreak', harmful: 'checkMalicious' },
  thresholds: { injection: 0.5, jailbreak: 0.5, harmful: 0.5 },
  graded: true,
  async score(text) {
    const [injection, jailbreak, malicious] = await Promise.all([checkInjection(text), checkJailbreak(text), checkMalicious(text)]);
    return { injection: injection.confidence, jailbreak: jailbreak.confidence, harmful: malicious.confidence };
  },
};
