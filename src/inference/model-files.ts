import type { BackendName, ModelDtype } from '../types.js';

/** File names in the transformers.js layout, per dtype. */
const ONNX_FILE: Record<Exclude<ModelDtype, 'auto'>, string> = {
  fp32: 'onnx/model.onnx',
  fp16: 'onnx/model_fp16.onnx',
  q8: 'onnx/model_quantized.onnx',
};

/**
 * The weight files to try, best first. Int8 graphs on WebGPU take slow paths or drift, so
 * `auto` gives WASM the int8 file and WebGPU fp16 (with `shader-f16`) or fp32; fp32 is the
 * last resort for a folder that lacks the preferred file.
 */
export function modelFileCandidates(dtype: ModelDtype, backend: BackendName, shaderF16: boolean): string[] {
  if (dtype !== 'auto') return [ONNX_FILE[dtype]];
  if (backend === 'wasm') return [ONNX_FILE.q8, ONNX_FILE.fp32];
  return shaderF16 ? [ONNX_FILE.fp16, ONNX_FILE.fp32] : [ONNX_FILE.fp32];
}


/**
 * Whether the folder has weights WebGPU should run on this adapter: fp16 (with `shader-f16`)
 * or fp32, never int8 (slow paths there). `listed` is the manifest's file list; a folder
 * without one is assumed to have them.
 */
export function hasWebGpuWeights(dtype: ModelDtype, shaderF16: boolean, listed: readonly string[] | null): boolean {
  if (dtype === 'q8') return false;
  return listed === null || modelFileCandidates(dtype, 'webgpu', shaderF16).some((file) => listed.includes(file));
}
