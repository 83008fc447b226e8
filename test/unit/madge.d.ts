// The part of madge's API (8.x, which ships no types) that import-circles.test.ts uses.
declare module 'madge' {
  interface MadgeOptions {
    fileExtensions?: string[];
    tsConfig?: string;
    detectiveOptions?: Record<string, Record<string, unknown>>;
  }
  interface MadgeGraph {
    /** Each circle as the files it runs through, relative to the scanned folder. */
    circular(): string[][];
  }
  export default function madge(path: string, options?: MadgeOptions): Promise<MadgeGraph>;
}
