import { describe, expect, it } from 'vitest';
import { GuardError } from '../../src/errors.js';
import { chooseBackend, type WebGpuProbe } from '../../src/inference/backend.js';

const noApi: WebGpuProbe = { api: false, adapter: null };
const noAdapter: WebGpuProbe = { api: true, adapter: null };
const software: WebGpuProbe = { api: true, adapter: { isFallback: true, shaderF16: false, description: 'google swiftshader (fallback)' } };
const hardware: WebGpuProbe = { api: true, adapter: { isFallback: false, shaderF16: true, description: 'nvidia hopper' } };

describe('chooseBackend', () => {
  it('auto: WASM when the browser has no WebGPU, saying so', () => {
    expect(chooseBackend('auto', noApi)).toEqual({ name: 'wasm', reason: 'WebGPU not supported by this browser' });
  });

  it('auto: WASM when navigator.gpu gives no adapter', () => {
    expect(chooseBackend('auto', noAdapter)).toEqual({ name: 'wasm', reason: 'no WebGPU adapter' });
  });

  it('auto: WASM over a software (fallback) adapter, which is slower than WASM', () => {
    expect(chooseBackend('auto', software)).toEqual({ name: 'wasm', reason: 'only a software (fallback) WebGPU adapter' });
  });

  it('auto: WebGPU on a hardware adapter', () => {
    expect(chooseBackend('auto', hardware)).toEqual({ name: 'webgpu', reason: 'hardware adapter' });
  });

  it('forced webgpu accepts a software adapter and says it is one', () => {
    expect(chooseBackend('webgpu', software)).toEqual({ name: 'webgpu', reason: 'requested (software adapter)' });
    expect(chooseBackend('webgpu', hardware)).toEqual({ name: 'webgpu', reason: 'requested' });
  });

  it('forced webgpu with no adapter is a typed backend-unavailable error, not a silent fallback', () => {
    for (const probe of [noApi, noAdapter]) {
      let thrown: unknown;
      try {
        chooseBackend('webgpu', probe);
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(GuardError);
      expect((thrown as GuardError).code).toBe('backend-unavailable');
    }
  });

  it('auto: WASM on a hardware adapter when the guard lacks the WebGPU runtime or the weights, saying which', () => {
    expect(chooseBackend('auto', hardware, { runtime: false, weights: true })).toEqual({ name: 'wasm', reason: 'no WebGPU runtime files (the runtime.webgpu option)' });
    expect(chooseBackend('auto', hardware, { runtime: true, weights: false })).toEqual({ name: 'wasm', reason: 'the model has no fp16 or fp32 weights for WebGPU' });
  });

  it('forced webgpu without the WebGPU runtime is backend-unavailable, naming the option', () => {
    expect(() => chooseBackend('webgpu', hardware, { runtime: false, weights: true })).toThrow(/no WebGPU runtime files \(the runtime.webgpu option\)/);
  });

  it('forced wasm ignores whatever GPU there is', () => {
    expect(chooseBackend('wasm', hardware)).toEqual({ name: 'wasm', reason: 'requested' });
  });
});
