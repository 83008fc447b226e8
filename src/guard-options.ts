import type { AuditOptions } from './audit/audit-log.js';
import type { Policy } from './policy/policy.js';
import type { DownloadRetryOptions } from './store/download-retry.js';
import type { BackendRequest, LoadProgress, ModelSource, RuntimeUrls } from './types.js';
import type { JudgeProvider } from './worker/judge-link.js';

/** Options for `createGuard`. */
export interface GuardOptions {
  /** Deadline for one screen in ms (default 30,000): past it the verdict follows the failure mode and the worker is restarted. */
  timeoutMs?: number;
  /**
   * Backpressure: at most this many `screen()`/`classify()` calls may be waiting at once
   * (default 2,000); one more rejects at once with `overloaded` instead of growing a queue
   * without bound. The caller keeps its text and may retry once some screens finish.
   */
  maxPendingScreens?: number;
  /** How model downloads are retried; see `DownloadRetryOptions`. */
  download?: DownloadRetryOptions;
  /** Keep a local audit log of verdicts (IndexedDB; text redacted by default). Off by default. */
  audit?: boolean | AuditOptions;
  /**
   * The guard LLM for an llm second review (`policy.secondReview.kind: 'llm'`):
   * `import { judge } from 'guarded-chat/judge'`. Without it such a policy is refused.
   */
  judge?: JudgeProvider;
  /** A preset (`strict`, `balanced` – the default –, `permissive`) or a full Policy object. */
  policy?: Policy | 'strict' | 'balanced' | 'permissive';
  /** The classifier to run; default the shipped `{ name: 'guard-use-lite' }`. */
  model?: ModelSource;
  /**
   * Default `'auto'`: WebGPU on a hardware adapter when a WebGPU runtime is known (see `runtime`)
   * and the model has fp16 or fp32 weights, else WASM. Forcing `'webgpu'` accepts a software
   * adapter; it fails if there is none.
   */
  backend?: BackendRequest;
  /** Where onnxruntime-web's runtime files are served; see `RuntimeUrls`. */
  runtime?: RuntimeUrls;
  /** Keep model files in IndexedDB (default true): later visits and offline use need no network. */
  cache?: boolean;
  /** Download progress, per file and overall. */
  onProgress?: (progress: LoadProgress) => void;
  /** Cancels the load; `createGuard` then rejects with `aborted`. */
  signal?: AbortSignal;
  /**
   * How texts longer than one window are cut: content tokens per window (default 128, capped
   * by the model's maximum) and tokens shared by neighbouring windows (default 32), plus a
   * fine pass of small windows (off by default; `fine: { tokens: 32, overlap: 16 }` turns it
   * on, for documents where an attack sentence buried in a long text matters more than false
   * positives: 32-token pieces of ordinary text often read as instructions). Each label takes its
   * highest score over all windows, lowered by the model's window-count penalty when its
   * manifest calibrated one (`window_penalty`: logits per ln(windows), so a 16-window text is not
   * flagged far more often than a one-window prompt); `countPenalty: false` turns that off.
   */
  window?: { tokens?: number; overlap?: number; fine?: { tokens: number; overlap: number } | null; countPenalty?: boolean };
}
