// Types for use-tokenizer.mjs (the reference USE-lite tokenizer), for the unit test.
export declare const SEPARATOR: string;
export declare const RESERVED: number;
export declare function prepareText(text: string): string;
export declare class UseTokenizer {
  constructor(vocabulary: [string, number | null][]);
  encode(text: string): number[];
}
