import { GuardError } from '../errors.js';
import type { BackendName, BackendRequest } from '../types.js';

/** What this browser offers for WebGPU, as found by `probeWebGpu`. */
export interface WebGpuProbe {
  /** `navigator.gpu` exists. */
  api: boolean;
  /** The adapter `requestAdapter()` gave, or null when it gave none. */
  adapter: {
    /** A software adapter (e.g. SwiftShader): correct, but slower than WASM on real machines. */
    isFallback: boolean;
    /** Fp16 shaders: lets WebGPU run fp16 weights. */
    shaderF16: boolean;
    /** Vendor and architecture, for reports. */
    description: string;
  } | null;
  /** The adapter itself, handed on to onnxruntime-web so it runs on the one we probed. */
  gpuAdapter?: unknown;
}

/** The outcome of backend selection: which one, and the reason a person can read. */
export interface BackendChoice {
  name: BackendName;
  reason: string;
}

/** What the guard has for WebGPU besides the browser: the runtime build and weights it can run. */
export interface WebGpuFit {
  /** onnxruntime-web's WebGPU (asyncify) build is at hand: bundled, or given by the page. */
  runtime: boolean;
  /** The model folder has fp16 or fp32 weights. */
  weights: boolean;
}

/**
 * Decides the backend from what was requested, what the browser has and what the guard has.
 * `auto` takes WebGPU only on a hardware adapter, with the WebGPU runtime and weights for it; a
 * software adapter is slower than WASM. A forced `webgpu` takes any adapter, and fails (typed)
 * when there is none or no WebGPU runtime.
 */
export function chooseBackend(request: BackendRequest, probe: WebGpuProbe, fit: WebGpuFit = { runtime: true, weights: true }): BackendChoice {
  if (request === 'wasm') return { name: 'wasm', reason: 'requested' };
  const missing = !probe.api
    ? 'WebGPU not supported by this browser'
    : !probe.adapter
      ? 'no WebGPU adapter'
      : !fit.runtime
        ? 'no WebGPU runtime files (the runtime.webgpu option)'
        : null;
  if (request === 'webgpu') {
    if (missing) throw new GuardError('backend-unavailable', `WebGPU was requested, but: ${missing}`);
    return {
      name: 'webgpu',
      reason: probe.adapter!.isFallback ? 'requested (software adapter)' : 'requested',
    };
  }
  if (missing) return { name: 'wasm', reason: missing };
  if (probe.adapter!.isFallback) return { name: 'wasm', reason: 'only a software (fallback) WebGPU adapter' };
  if (!fit.weights) return { name: 'wasm', reason: 'the model has no fp16 or fp32 weights for WebGPU' };
  return { name: 'webgpu', reason: 'hardware adapter' };
}

interface AdapterInfoLike {
  vendor?: string;
  architecture?: string;
  isFallbackAdapter?: boolean;
}

interface AdapterLike {
  info?: AdapterInfoLike;
  isFallbackAdapter?: boolean;
  features: { has(name: string): boolean };
}

interface GpuLike {
  requestAdapter(options?: { powerPreference?: string }): Promise<AdapterLike | null>;
}

/** Asks the browser for a WebGPU adapter without creating a device. Never throws. */
export async function probeWebGpu(): Promise<WebGpuProbe> {
  const gpu = (globalThis.navigator as { gpu?: GpuLike } | undefined)?.gpu;
  if (!gpu) return { api: false, adapter: null };
  let adapter: AdapterLike | null = null;
  try {
    adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
  } catch {
    adapter = null;
  }
  if (!adapter) return { api: true, adapter: null };
  const info = adapter.info ?? {};
  const isFallback = Boolean(info.isFallbackAdapter ?? adapter.isFallbackAdapter);
  const description = [info.vendor, info.architecture].filter(Boolean).join(' ') || 'unknown adapter';
  return {
    api: true,
    adapter: { isFallback, shaderF16: adapter.features.has('shader-f16'), description: `${description}${isFallback ? ' (fallback)' : ''}` },
    gpuAdapter: adapter,
  };
}
