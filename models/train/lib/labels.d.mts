// Types for labels.mjs.
export declare const LABELS: readonly string[];
