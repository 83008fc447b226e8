// The models' output order: logits [batch, 4] in this order (lib/metrics.py's LABELS is the same).
export const LABELS = ['injection', 'jailbreak', 'harmful', 'toxic'];
