// Types for sources.mjs (the recipe's data files and their licences), for the unit test.
export declare const FILE_LICENSES: Record<string, [string, boolean]>;
export declare const NOT_ROWS: Set<string>;
export declare function nonLatinShare(text: string): number;
export declare function readSources(dirs: string[]): {
  rows: { text: string; label: string; source: string; category?: string; role: string; file: string; commercial: boolean }[];
  files: { file: string; license: string; commercial: boolean; dir: string }[];
  nonLatin: number;
};
export declare function readTemplates(dirs: string[]): { text: string; label: string; source: string; category?: string }[];
export declare function parseRow(line: string, where: string): { text: string; label: string; source: string; category?: string; role?: string };
