import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const root = new URL('../../', import.meta.url).pathname;
const reference = JSON.parse(readFileSync(`${root}test/fixtures/models/tiny-guard/reference.json`, 'utf8')) as {
  labels: string[];
  probes: { text: string; logits: number[] }[];
};
const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));

/** The Node runner on the fixture model, in a child process (it registers module hooks). */
function probe(texts: string[]) {
  const out = execFileSync(`${root}node_modules/.bin/tsx`, ['test/node/node-guard-probe.ts', '/test/fixtures/models/tiny-guard/', ...texts], { cwd: root, encoding: 'utf8', timeout: 120_000 });
  return JSON.parse(out.trim().split('\n').at(-1)!) as {
    backend: { name: string; threads: number; modelFile: string };
    labels: string[];
    fromNetwork: string[];
    scores: Record<string, number>[];
    verdict: { action: string; reason: string };
  };
}

describe('Node runner (the worker\'s pipeline code in-process)', () => {
  it('loads the model over HTTP, runs int8 WASM, scores as PyTorch does, and screens with every layer', () => {
    const result = probe(reference.probes.map((p) => p.text));
    expect(result.backend).toMatchObject({ name: 'wasm', threads: 1, modelFile: 'onnx/model_quantized.onnx' });
    expect(result.labels).toEqual(reference.labels);
    expect(result.fromNetwork).toContain('onnx/model_quantized.onnx');
    reference.probes.forEach((p, i) => {
      reference.labels.forEach((label, j) => {
        // int8 weights against PyTorch's fp32 logits: the tolerance the browser suite uses.
        expect(Math.abs(result.scores[i]![label]! - sigmoid(p.logits[j]!))).toBeLessThan(0.03);
      });
    });
    expect(result.verdict.action).toBe('block');
    expect(result.verdict.reason).toContain('injection');
  }, 180_000);
});
