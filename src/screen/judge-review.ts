import type { JudgeNote, JudgeReading } from '../policy/verdict.js';

/** Default longest wait for a guard LLM's verdict, queue included. */
export const DEFAULT_JUDGE_TIMEOUT_MS = 10_000;

/** What the pipeline gets from the guard LLM: a reading, or why there is none. */
export type JudgeOutcome =
  | { reading: JudgeReading }
  | { note: Exclude<JudgeNote, 'judge-unparsable'>; message: string };

/**
 * The scores a guard LLM's reading sets, by our category: the categories it covers go to 0
 * (a `safe` answer clears the classifier's grey-band score) unless it named them (1). Null when
 * the answer could not be read. A `controversial` answer counts as the policy says.
 */
export function judgedScores(reading: JudgeReading, controversial: 'unsafe' | 'safe'): Map<string, number> | null {
  const verdict = reading.verdict === 'controversial' ? controversial : reading.verdict;
  if (verdict === 'unparsable') return null;
  const scores = new Map<string, number>(reading.covers.map((category) => [category, 0]));
  if (verdict === 'unsafe') for (const named of reading.categories) scores.set(named.category, 1);
  return scores;
}
