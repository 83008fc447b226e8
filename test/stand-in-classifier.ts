import type { ScreenResult } from '../src/types.js';

/** A classifier for pipeline tests that gives every text the same scores (the shipped models' four labels). */
export function standInClassifier(scores: Record<'injection' | 'jailbreak' | 'harmful' | 'toxic', number>): () => Promise<ScreenResult> {
  return async () => ({
    labels: ['injection', 'jailbreak', 'harmful', 'toxic'],
    scores: { ...scores },
    backend: 'wasm',
    tokens: 16,
    windows: 1,
    timings: { tokenizeMs: 0, inferenceMs: 0, totalMs: 0 },
  });
}
