/**
 * The texts the bench screens, by size in the shipped model's WordPiece tokens (the bench prints
 * the counts the tokenizer actually gave): short ≈ 15, medium ≈ 100, long ≈ 2,000.
 */
const SHORT = 'Could you suggest a good place for seafood near the old town in Lisbon?';
const MEDIUM = 'I am planning a weekend trip to Lisbon with two friends in early May. Could you suggest a relaxed itinerary with a few museums, a good place for seafood, and a sunset viewpoint? We will be walking mostly, so please keep things close together. One of us is vegetarian and another does not like crowds, so quieter places are better. We arrive on Friday evening and leave on Sunday afternoon.';
const PROSE = [
  'The committee reviewed the quarterly budget and approved the new library hours.',
  'Rainfall in the valley was higher than usual, so the farmers delayed the harvest.',
  'She practised the piano every evening and performed at the spring recital.',
  'The museum opened a new wing dedicated to early maritime navigation tools.',
  'Volunteers repainted the community centre and planted trees along the river path.',
];
/** About 2,000 tokens of plain prose (120 sentences of 14–17 tokens). */
const LONG = Array.from({ length: 120 }, (_, i) => PROSE[i % PROSE.length]).join(' ');

export const BENCH_TEXTS = { short: SHORT, medium: MEDIUM, long: LONG } as const;
export type BenchTextName = keyof typeof BENCH_TEXTS;
