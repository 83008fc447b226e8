import { describe, expect, it } from 'vitest';
import { modelFileCandidates } from '../../src/inference/model-files.js';

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

