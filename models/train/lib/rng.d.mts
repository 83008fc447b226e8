// Types for rng.mjs, for the unit tests and the typo-robustness eval.
export declare function makeRng(seed: number): () => number;
