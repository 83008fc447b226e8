// Types for templates.mjs (jailbreak templates filled into rows), for the unit test.
export declare function fillTemplate(template: string, request: string): string;
export declare function templateSplit(text: string): 'train' | 'val' | 'test';
export declare function templateRows(options: {
  templates: { text: string; source: string; category?: string }[];
  harmful: Record<'train' | 'val' | 'test', string[]>;
  benign: Record<'train' | 'val' | 'test', string[]>;
  seed: number;
  harmfulPerTemplate?: number;
  benignPerTemplate?: number;
}): { text: string; labels: string[]; split: string; source: string; category?: string }[];
