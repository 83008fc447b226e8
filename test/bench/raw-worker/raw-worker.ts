/**
 * The raw transformers.js `text-classification` pipeline in a Web Worker of its own, bundled by
 * `build-raw-worker.ts`: what a page that keeps the model off its main thread would run without
 * us. Our guard also screens in a worker, so timing both from the page counts the same
 * message hop on each side, and the difference is our code. Plain messages: { id, op, arg }.
 */
import { env, pipeline } from '@huggingface/transformers';

/** `RawOptions` of ../measure.ts, as the bench sends them (its `device` is ignored: always wasm here). */
interface LoadOptions {
  localModelPath: string;
  model: string;
  wasmPaths: { mjs: string; wasm: string };
  numThreads: number;
}

type Classifier = (text: string, options: { top_k: null }) => Promise<{ label: string; score: number }[]>;
let classifier: Classifier | null = null;

const ops = {
  async load(options: LoadOptions): Promise<{ loadMs: number }> {
    env.allowRemoteModels = false;
    env.allowLocalModels = true;
    env.localModelPath = options.localModelPath;
    env.useBrowserCache = false;
    const wasm = env.backends.onnx.wasm!;
    wasm.wasmPaths = options.wasmPaths;
    wasm.numThreads = options.numThreads;
    const t = performance.now();
    classifier = (await pipeline('text-classification', options.model, { dtype: 'q8', device: 'wasm' })) as unknown as Classifier;
    return { loadMs: performance.now() - t };
  },
  async classify(text: string): Promise<Record<string, number>> {
    if (!classifier) throw new Error('load first');
    const out = await classifier(text, { top_k: null });
    return Object.fromEntries(out.map((o) => [o.label, o.score]));
  },
};

self.onmessage = async (event: MessageEvent<{ id: number; op: keyof typeof ops; arg: never }>) => {
  const { id, op, arg } = event.data;
  try {
    self.postMessage({ id, result: await ops[op](arg) });
  } catch (error) {
    self.postMessage({ id, error: String((error as Error)?.stack ?? error) });
  }
};
