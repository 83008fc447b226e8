// Types for injection-carriers.mjs (guard-use-lite's injection-carrier augmentation), for the unit test.
export interface AugmentedRow {
  text: string;
  labels: string[];
  kind: string;
}
export declare function injectionCarriers(options: { seed: number }): AugmentedRow[];
