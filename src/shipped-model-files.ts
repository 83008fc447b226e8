import type { ShippedModelFiles } from './store/model-source.js';

// The default model's files, each a `new URL(<literal>, import.meta.url)`: the one form every
// bundler (Vite, webpack 5, Rollup's and esbuild's asset plugins) sees and copies into the
// page's build, so the model resolves with no copying by hand. Under the dev server they are
// served from `models/` as they are. The library build replaces this module with one it writes
// itself (vite.config.ts), listing the files the package ships: the int8 weights only.
export const SHIPPED_MODEL_FILES: ShippedModelFiles = {
  'guard-use-lite': {
    'manifest.json': new URL('../models/guard-use-lite/manifest.json', import.meta.url).href,
    'config.json': new URL('../models/guard-use-lite/config.json', import.meta.url).href,
    'tokenizer.json': new URL('../models/guard-use-lite/tokenizer.json', import.meta.url).href,
    'tokenizer_config.json': new URL('../models/guard-use-lite/tokenizer_config.json', import.meta.url).href,
    'onnx/model_quantized.onnx': new URL('../models/guard-use-lite/onnx/model_quantized.onnx', import.meta.url).href,
    'onnx/model_fp16.onnx': new URL('../models/guard-use-lite/onnx/model_fp16.onnx', import.meta.url).href,
    'onnx/model.onnx': new URL('../models/guard-use-lite/onnx/model.onnx', import.meta.url).href,
  },
};
