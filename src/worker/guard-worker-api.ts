import { GuardError } from '../errors.js';
import { TextClassifier } from '../inference/text-classifier.js';
import type { BackendInfo, BackendRequest, ModelDtype, ScreenResult } from '../types.js';

/** What the main thread sends to set the worker up: plain data, the model URL already absolute. */
export interface WorkerInit {
  modelUrl: string;
  dtype: ModelDtype;
  backend: BackendRequest;
}

/**
 * The worker's side of the Comlink boundary. The only place models run: the main thread
 * never blocks on tokenizing or inference.
 */
export class GuardWorkerApi {
  private classifier: TextClassifier | null = null;

  /** Loads the model; resolves with the backend that runs it and the model's labels. */
  async init(init: WorkerInit): Promise<{ backend: BackendInfo; labels: readonly string[] }> {
    if (this.classifier) throw new GuardError('invalid-input', 'the guard worker is already initialised');
    this.classifier = await TextClassifier.load({ url: init.modelUrl, dtype: init.dtype, backend: init.backend });
    return { backend: this.classifier.backend, labels: this.classifier.labels };
  }

  /** Scores one text with the loaded classifier. */
  async screen(text: string): Promise<ScreenResult> {
    if (!this.classifier) throw new GuardError('worker-failed', 'the guard worker has no model loaded');
    return this.classifier.classify(text);
  }

  /** Frees the model's memory before the worker is terminated. */
  async dispose(): Promise<void> {
    await this.classifier?.release();
    this.classifier = null;
  }
}
