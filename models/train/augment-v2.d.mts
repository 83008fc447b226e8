// Types for augment-v2.mjs (the second augmentation round of the design (a) recipe), for the unit test.
export interface AugmentedRow {
  text: string;
  labels: string[];
  kind: string;
}
export declare function augmentV2(options: { seed: number }): AugmentedRow[];
