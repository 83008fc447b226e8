// Types for the parts of augment.mjs the unit tests use.
export declare function makeRng(seed: number): () => number;
