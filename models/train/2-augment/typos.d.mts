// Types for typos.mjs (typo copies as training augmentation), for the unit test.
export declare function addTypos(text: string, rng: () => number, rate?: number): string;
export declare function noisyRows(rows: { text: string; labels: string[]; source: string }[], seed: number, share?: number, perSourceCap?: number):
  { text: string; labels: string[]; source: string; category: string }[];
