import { TextClassifier, type ModelParts } from '../../../src/inference/text-classifier.js';
import type { BackendName } from '../../../src/types.js';

/**
 * A shipped model's TextClassifier on the page's main thread, without the worker and its queue:
 * tests reach the rows a text is cut into and run them in any grouping they like.
 */
export async function loadShippedClassifier(name: string, backend: BackendName): Promise<TextClassifier> {
  const base = `/models/${name}/`;
  const json = async (path: string) => (await fetch(base + path)).json();
  const weightsFile = backend === 'webgpu' ? 'onnx/model_fp16.onnx' : 'onnx/model_quantized.onnx';
  const parts: ModelParts = {
    config: await json('config.json'),
    tokenizerJson: await json('tokenizer.json'),
    tokenizerConfig: await json('tokenizer_config.json'),
    weights: new Uint8Array(await (await fetch(base + weightsFile)).arrayBuffer()),
    weightsFile,
  };
  const gpu = (navigator as { gpu?: { requestAdapter(): Promise<unknown> } }).gpu;
  const adapter = backend === 'webgpu' ? await gpu?.requestAdapter() : undefined;
  return TextClassifier.create(parts, backend, adapter ?? undefined);
}
