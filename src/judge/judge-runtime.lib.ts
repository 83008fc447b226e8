import type { RuntimeFiles } from '../types.js';

// The package names no runtime files for the judge: onnxruntime-web's bundle, which the page's
// bundler resolves for transformers.js, finds its own (see judge-runtime.ts).
export const JUDGE_RUNTIME: RuntimeFiles | null = null;
