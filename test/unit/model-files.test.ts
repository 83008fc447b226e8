import { describe, expect, it } from 'vitest';
import { hasWebGpuWeights, modelFileCandidates } from '../../src/inference/model-files.js';

describe('modelFileCandidates', () => {
  it('gives WASM the int8 weights first, fp32 as the fallback', () => {
    expect(modelFileCandidates('auto', 'wasm', false)).toEqual(['onnx/model_quantized.onnx', 'onnx/model.onnx']);
  });

  it('gives WebGPU fp16 only where the adapter has shader-f16, never int8', () => {
    expect(modelFileCandidates('auto', 'webgpu', true)).toEqual(['onnx/model_fp16.onnx', 'onnx/model.onnx']);
    expect(modelFileCandidates('auto', 'webgpu', false)).toEqual(['onnx/model.onnx']);
  });

  it('honours an explicit dtype whatever the backend', () => {
    expect(modelFileCandidates('fp32', 'wasm', false)).toEqual(['onnx/model.onnx']);
    expect(modelFileCandidates('q8', 'webgpu', true)).toEqual(['onnx/model_quantized.onnx']);
    expect(modelFileCandidates('fp16', 'webgpu', true)).toEqual(['onnx/model_fp16.onnx']);
  });
});


describe('hasWebGpuWeights', () => {
  const INT8_ONLY = ['config.json', 'onnx/model_quantized.onnx'];
  const ALL = [...INT8_ONLY, 'onnx/model_fp16.onnx', 'onnx/model.onnx'];

  it('says no for a folder with int8 weights only (the packaged default model)', () => {
    expect(hasWebGpuWeights('auto', true, INT8_ONLY)).toBe(false);
  });

  it('says yes for fp16 on a shader-f16 adapter, and for fp32 on any', () => {
    expect(hasWebGpuWeights('auto', true, ['onnx/model_fp16.onnx'])).toBe(true);
    expect(hasWebGpuWeights('auto', false, ['onnx/model_fp16.onnx'])).toBe(false);
    expect(hasWebGpuWeights('auto', false, ALL)).toBe(true);
  });

  it('follows an explicit dtype, and assumes a folder without a manifest has what is asked', () => {
    expect(hasWebGpuWeights('q8', true, ALL)).toBe(false);
    expect(hasWebGpuWeights('fp16', true, INT8_ONLY)).toBe(false);
    expect(hasWebGpuWeights('auto', true, null)).toBe(true);
  });
});
