import type { Remote } from 'comlink';
import { AuditLog } from './audit/audit-log.js';
import { installGuardErrorTransfer } from './error-transfer.js';
import { GuardError } from './errors.js';
import { DEFAULT_WINDOW } from './inference/windows.js';
import { DEFAULT_MODEL, SHIPPED_MODEL_FILES } from './shipped-models.js';
import { resolveRuntimeUrls } from './inference/runtime-urls.js';
import { checkDownloadRetry } from './store/download-retry.js';
import { resolveModelSource, type ResolvedModelSource } from './store/model-source.js';
import { calibratedPreset, POLICY_PRESETS, type PresetCalibration } from './policy/presets.js';
import { judgeFamilyOf, validatePolicy, type LlmReviewPolicy, type Policy } from './policy/policy.js';
import type { Verdict } from './policy/verdict.js';
import type { LayerSwitches } from './screen/pipeline.js';
import type { GuardOptions } from './guard-options.js';
import type { BackendInfo, CacheReport, LoadProgress, LoadTimings, ModelSource, OptionalPartStatus, RuntimeUrls, ScreenResult } from './types.js';
import type { DownloadRetry } from './store/download-retry.js';
import type { JudgeHostHandle, JudgeLinkTarget, JudgeProvider, JudgeStatus } from './worker/judge-link.js';
import type { GuardWorkerApi, WorkerEvent, WorkerReady } from './worker/guard-worker-api.js';
import { WorkerConnection } from './worker/worker-connection.js';

/** Events a Guard dispatches: `progress` (detail: `LoadProgress`), `backendchange` (detail: `BackendInfo`). */
export interface GuardEventMap {
  backendchange: CustomEvent<BackendInfo>;
  workerrestart: CustomEvent<{ reason: string; attempt: number }>;
  /** The guard LLM's download progress (an llm second review's first use). */
  judgeprogress: CustomEvent<LoadProgress>;
  /** The guard LLM started loading, is ready, or failed (see `guard.judge`). */
  judgechange: CustomEvent<JudgeStatus>;
  /** An optional part (the language-id model) started loading, is ready, or is unavailable (see `guard.status`). */
  statuschange: CustomEvent<GuardStatusReport>;
}

/**
 * What works in a guard, part by part. The classifier is essential: a guard exists only once it
 * loaded. The rest is optional: when it cannot load, the guard screens without it and says so.
 */
export interface GuardStatusReport {
  classifier: { state: 'ready'; backend: BackendInfo };
  /**
   * The language-id model (policies with a `language` section). A screen that needs it waits
   * while it loads; when it is unavailable, texts are screened as the policy's
   * `language.unavailable` says (by default as if their language were covered: classifier scores
   * decide, rules apply), and their verdicts note that the language was not checked.
   */
  language: OptionalPartStatus;
  /** The guard LLM of an llm second review, when the policy has one (see `guard.judge`). */
  judge: JudgeStatus | null;
  /**
   * The second model of a classifier second review (the cascade), when the policy has one: it
   * starts loading when the policy is set. While it loads (up to 10 s a screen) and when it is
   * unavailable, texts in its band keep the first model's decision and their verdicts say so.
   */
  review: ReviewModelStatus | null;
  /**
   * The multilingual reader (`policy.language.multilingual`), when the policy has one: it starts
   * loading when the policy is set. While it loads (up to 10 s a screen) and when it is
   * unavailable, texts in its languages are handled as not covered and their verdicts say so.
   */
  reader: ReviewModelStatus | null;
}

/** A second classifier (the review's or the multilingual reader): which one, and its state (`GuardStatusReport.review`, `.reader`). */
export interface ReviewModelStatus extends OptionalPartStatus {
  /** The model's id, as verdicts name it in `secondReview.model`. */
  model: string;
}

/** The second classifiers a policy may name: the classifier review's model, the multilingual reader. */
type SecondModelSlot = 'review' | 'reader';

/** What the guard needs to load an llm second review's model, from `createGuard`'s options. */
export interface JudgeContext {
  provider?: JudgeProvider;
  cache: boolean;
  download: DownloadRetry;
  runtime: RuntimeUrls;
}

/** How long one screen may take before the worker is presumed hung (default; `timeoutMs` changes it). */
export const DEFAULT_TIMEOUT_MS = 30_000;

/** How long loading a classifier second review's model may take before the worker is presumed hung. */
export const REVIEW_LOAD_DEADLINE_MS = 10 * 60_000;

/**
 * How long a screen waits for a classifier second review's model that is still loading (at most
 * half the screen's deadline); past it, the first model decides that text and the verdict says so.
 */
export const REVIEW_LOAD_WAIT_MS = 10_000;

/** How many screens may wait at once before `screen()` rejects with `overloaded` (default; `maxPendingScreens` changes it). */
export const DEFAULT_MAX_PENDING_SCREENS = 2_000;

/**
 * The main-thread face of the guard. It owns one worker; every screen runs there.
 * Create it with `createGuard`, which resolves once the model is loaded and warmed up.
 * Events: `backendchange` (the WebGPU device was lost), `workerrestart` (the worker was lost
 * or hung and is being replaced; screens in flight got the failure verdict).
 */
export class Guard extends EventTarget {
  private disposed = false;
  private currentBackend: BackendInfo;
  private currentPolicy: Policy;
  private calibration: PresetCalibration = {};
  /** The second classifiers' sources: the classifier review's, the multilingual reader. */
  private readonly secondSources: Record<SecondModelSlot, ResolvedModelSource | undefined> = { review: undefined, reader: undefined };
  private judgeHost: JudgeHostHandle | null = null;
  private pending = 0;
  private screens = 0;

  /** The model's labels, in the order scores are reported. */
  readonly labels: readonly string[];
  private readonly classifierCache: CacheReport;
  private languageStatus: OptionalPartStatus;
  private readonly secondStatus: Record<SecondModelSlot, ReviewModelStatus | null> = { review: null, reader: null };
  private settledWaiters: (() => void)[] = [];
  /** Where this load spent its time (see `LoadTimings`). */
  readonly loadTimings: LoadTimings;

  /** @internal use `createGuard` */
  constructor(
    private readonly connection: WorkerConnection,
    ready: WorkerReady,
    policy: Policy | keyof typeof POLICY_PRESETS,
    /** The local audit log, when `createGuard({ audit })` turned it on. */
    readonly audit: AuditLog | null,
    private readonly timeoutMs: number,
    private readonly maxPending: number = DEFAULT_MAX_PENDING_SCREENS,
    private readonly judgeContext: JudgeContext = { cache: true, download: checkDownloadRetry(), runtime: {} },
  ) {
    super();
    connections.set(this, connection);
    this.labels = ready.labels;
    this.classifierCache = ready.cache;
    this.languageStatus = ready.language;
    this.loadTimings = ready.loadTimings;
    this.currentBackend = ready.backend;
    this.calibration = ready.calibration;
    this.currentPolicy = resolvePolicy(policy, this.calibration);
    this.prepareReview();
    this.prepareReader();
  }

  private call<T>(fn: (remote: Remote<GuardWorkerApi>) => Promise<T>, deadlineMs = this.timeoutMs): Promise<T> {
    return this.connection.call(fn, deadlineMs);
  }

  /**
   * @internal After a worker restart: the second classifiers (the review's model, the multilingual
   * reader) load again in the new worker (from IndexedDB, as the classifier did), and the status says so.
   */
  reloadSecondModels(): void {
    if (this.secondSources.review) this.prepareReview(true);
    if (this.secondSources.reader) this.prepareReader(true);
  }

  /**
   * Resolves the policy's second-review model and starts loading it in the worker. `again`: the
   * worker lost it (a restart), so its status is `loading` even if it was ready.
   */
  private prepareReview(again = false): void {
    const review = this.currentPolicy.secondReview;
    if (review?.kind === 'llm') {
      this.secondSources.review = undefined;
      if (this.secondStatus.review) this.setSecondStatus('review', null);
      void this.useJudge(review);
      return;
    }
    void this.judgeHost?.release();
    this.prepareSecondModel('review', review?.model as ModelSource | undefined, again);
  }

  /** Resolves the policy's multilingual reader (`policy.language.multilingual`) and starts loading it, as `prepareReview` does. */
  private prepareReader(again = false): void {
    this.prepareSecondModel('reader', this.currentPolicy.language?.multilingual?.model as ModelSource | undefined, again);
  }

  /** Resolves a second classifier (`model`; none: the policy has none) and starts loading it in the worker; its status follows. */
  private prepareSecondModel(slot: SecondModelSlot, model: ModelSource | undefined, again: boolean): void {
    const source = model ? resolveModelSource(model, globalThis.document?.baseURI ?? globalThis.location?.href, SHIPPED_MODEL_FILES) : undefined;
    this.secondSources[slot] = source;
    const policy = this.currentPolicy;
    const status = () => this.secondStatus[slot];
    if (!source) {
      if (status()) this.setSecondStatus(slot, null);
      return;
    }
    // The worker keeps a loaded model (asking again costs nothing, and brings it back into a
    // replaced worker); the status says `loading` only for a model not ready yet.
    const known = !again && status()?.model === source.id && status()!.state !== 'unavailable';
    if (!known) this.setSecondStatus(slot, { model: source.id, state: 'loading' });
    // A download is not a hung worker: the load has its own deadline, not a screen's. A failure
    // also shows on the verdicts of the texts that needed the model.
    const current = () => !this.disposed && this.secondSources[slot]?.id === source.id;
    const load = (remote: Remote<GuardWorkerApi>) => (slot === 'review' ? remote.prepareReview(source, policy) : remote.prepareReader(source, policy));
    this.call(load, REVIEW_LOAD_DEADLINE_MS).then(
      (cache) => current() && status()?.state !== 'ready' && this.setSecondStatus(slot, { model: source.id, state: 'ready', cache }),
      (error: unknown) => current() && this.setSecondStatus(slot, { model: source.id, state: 'unavailable', message: error instanceof Error ? error.message : String(error) }),
    );
  }

  private setSecondStatus(slot: SecondModelSlot, status: ReviewModelStatus | null): void {
    this.secondStatus[slot] = status;
    this.dispatchEvent(new CustomEvent('statuschange', { detail: this.status }));
    this.wakeIfSettled();
  }

  private anyLoading(): boolean {
    return this.languageStatus.state === 'loading' || this.secondStatus.review?.state === 'loading' || this.secondStatus.reader?.state === 'loading';
  }

  /** Wakes the `settled()` callers once no optional part is loading. */
  private wakeIfSettled(): void {
    if (this.anyLoading()) return;
    for (const wake of this.settledWaiters.splice(0)) wake();
  }

  /** Loads the llm review's model in the judge's worker (unless it is the one loaded already). */
  private useJudge(review: LlmReviewPolicy): Promise<void> {
    const provider = this.judgeContext.provider!;
    this.judgeHost ??= provider.host(judgeLinkTarget((fn) => this.call(fn)), {
      progress: (progress) => this.dispatchEvent(new CustomEvent('judgeprogress', { detail: progress })),
      status: (status) => this.dispatchEvent(new CustomEvent('judgechange', { detail: status })),
    });
    const { hub, revision, host, sha256 } = review.model;
    const source = resolveModelSource({ hub, ...(revision ? { revision } : {}), ...(host ? { host } : {}), ...(sha256 ? { sha256 } : {}) },
      globalThis.document?.baseURI ?? globalThis.location?.href, SHIPPED_MODEL_FILES);
    return this.judgeHost.use({
      source,
      hubId: hub,
      family: judgeFamilyOf(review)!,
      dtype: review.dtype ?? 'auto',
      device: review.device ?? 'auto',
      cache: this.judgeContext.cache,
      download: this.judgeContext.download,
      ...(this.judgeContext.runtime.webgpu ? { runtime: this.judgeContext.runtime.webgpu } : {}),
    });
  }

  /**
   * The guard LLM of an llm second review: loading, ready (its backend, cache report and load
   * time) or failed; null when the policy has none. Texts in the band while it loads keep the
   * classifier's decision, noted `judge-loading`.
   */
  get judge(): JudgeStatus | null {
    return this.judgeHost?.status ?? null;
  }

  /**
   * Resolves once the llm review's model has loaded or failed (at once when there is none). A
   * load that failed is tried again when a policy with the review is set again.
   */
  async judgeSettled(): Promise<JudgeStatus | null> {
    await this.judgeHost?.settled();
    return this.judge;
  }

  /** @internal The guard's worker was replaced: tell the new one where the judge stands, before it screens. */
  relinkJudge(remote: Remote<GuardWorkerApi>): Promise<void> {
    return this.judgeHost?.link(judgeLinkTarget((fn) => fn(remote))) ?? Promise.resolve();
  }

  /** The policy screens are judged by. */
  get policy(): Policy {
    return this.currentPolicy;
  }

  /**
   * Replaces the policy. A preset name gives the preset fitted to this model's calibrated
   * thresholds (see `calibratedPreset`); a Policy object is used as given. An invalid policy
   * is rejected whole, with every problem listed by path, and the old one stays in force.
   */
  setPolicy(policy: Policy | keyof typeof POLICY_PRESETS): void {
    const resolved = resolvePolicy(policy, this.calibration);
    checkJudgeAvailable(resolved, this.judgeContext.provider);
    this.currentPolicy = resolved;
    this.prepareReview();
    this.prepareReader();
  }

  /** Which backend runs the model, and why. Changes if the WebGPU device is lost (see `backendchange`). */
  get backend(): BackendInfo {
    return this.currentBackend;
  }

  /** Screens and classifications issued and not yet answered. */
  get pendingScreens(): number {
    return this.pending;
  }

  /**
   * Counts a call against `maxPendingScreens` for as long as it runs. Past the limit it rejects
   * at once: a page that floods the guard learns so now, instead of every later screen waiting
   * behind an ever longer queue (and its memory).
   */
  private async admit<T>(work: () => Promise<T>): Promise<T> {
    if (this.pending >= this.maxPending) {
      throw new GuardError('overloaded', `${this.pending} screens are already waiting (maxPendingScreens ${this.maxPending}); try again once some finish`);
    }
    this.pending += 1;
    try {
      return await work();
    } finally {
      this.pending -= 1;
    }
  }

  /**
   * Where the classifier's files came from on this load (cache or network) and what the cache
   * did; `parts.language` is the language-id model's own report, once it loaded (it loads after
   * the classifier, through the same verified store).
   */
  get cache(): CacheReport {
    const language = this.languageStatus.cache;
    return language ? { ...this.classifierCache, parts: { language } } : this.classifierCache;
  }

  /** Each part's state: the classifier (ready), the language-id model, the judge. See `GuardStatusReport`. */
  get status(): GuardStatusReport {
    return { classifier: { state: 'ready', backend: this.currentBackend }, language: this.languageStatus, judge: this.judge, review: this.secondStatus.review, reader: this.secondStatus.reader };
  }

  /**
   * Resolves with `status` once no optional part is still loading: each is ready, off or
   * unavailable. A guard screens before that; this is for pages (and tests) that want to know.
   */
  settled(): Promise<GuardStatusReport> {
    if (!this.anyLoading()) return Promise.resolve(this.status);
    return new Promise((resolve) => this.settledWaiters.push(() => resolve(this.status)));
  }

  /** Workers started to replace a lost or hung one, so far. */
  get workerRestarts(): number {
    return this.connection.restarts;
  }

  /** @internal */
  handleWorkerEvent(event: WorkerEvent): void {
    if (event.type === 'backend') {
      this.currentBackend = event.backend;
      this.dispatchEvent(new CustomEvent('backendchange', { detail: event.backend }));
    } else if (event.type === 'language') {
      this.languageStatus = event.status;
      this.dispatchEvent(new CustomEvent('statuschange', { detail: this.status }));
      this.wakeIfSettled();
    }
  }

  private checkUsable(text: unknown, method: string): asserts text is string {
    if (this.disposed) throw new GuardError('disposed', 'this guard was disposed; create a new one');
    if (typeof text !== 'string') {
      throw new GuardError('invalid-input', `${method}() takes a string, got ${text === null ? 'null' : typeof text}`);
    }
  }

  /**
   * Screens `text` through every layer (normalize → rules → classifiers → conversation) and
   * judges it by the policy. When the guard itself fails (the model, a lost or hung worker, the
   * deadline), the policy's failure mode decides: `closed` gives a `block` verdict, `open` a
   * `warn`, both carrying `failure`. Rejects only for misuse: `invalid-input`, `disposed`, and
   * `overloaded` when `maxPendingScreens` screens are already waiting; and with `aborted` when
   * `options.signal` aborts first.
   */
  async screen(text: string, options: ScreenOptions = {}): Promise<Verdict> {
    this.checkUsable(text, 'screen');
    if (options.replyTo !== undefined && typeof options.replyTo !== 'string') throw new GuardError('invalid-input', `replyTo must be a string, got ${typeof options.replyTo}`);
    if (options.signal?.aborted) throw new GuardError('aborted', 'the screen was cancelled');
    return this.admit(() => this.screenAdmitted(text, options));
  }

  private async screenAdmitted(text: string, options: ScreenOptions): Promise<Verdict> {
    const request = {
      text,
      direction: options.direction ?? 'input',
      ...(options.conversation ? { conversation: options.conversation } : {}),
      ...(options.replyTo !== undefined ? { replyTo: options.replyTo } : {}),
    };
    const policy = this.currentPolicy;
    const { review, reader } = this.secondSources;
    const id = ++this.screens;
    // A screen waits for a second model still loading only so long that it keeps its own deadline.
    const reviewWaitMs = Math.min(REVIEW_LOAD_WAIT_MS, this.timeoutMs / 2);
    const screening = this.call((remote) => remote.screen(request, policy, options.layers, review, id, reviewWaitMs, reader));
    let verdict: Verdict;
    try {
      verdict = await withCancel(screening, options.signal, () => void this.call((remote) => remote.cancelScreen(id)).catch(() => undefined));
    } catch (error) {
      if (!(error instanceof GuardError) || !['inference-failed', 'worker-failed', 'timeout'].includes(error.code)) throw error;
      verdict = failureVerdict(error, request.direction, policy, this.currentBackend);
    }
    if (this.audit) {
      const context = { ...(options.conversation ? { conversation: options.conversation } : {}), ...(policy.name ? { policy: policy.name } : {}) };
      // The log must never break screening: a failed write is dropped.
      await this.audit.record(text, verdict, context).catch(() => undefined);
    }
    return verdict;
  }

  /**
   * The classifier alone on `text` as given: per-label probabilities, no rules, no policy.
   * Long texts are screened in overlapping windows, each label taking its highest score.
   */
  async classify(text: string): Promise<ScreenResult> {
    this.checkUsable(text, 'classify');
    return this.admit(() => this.call((remote) => remote.classify(text)));
  }

  /**
   * Forgets a conversation's history: its turn count, running risk and blocked-prompt count, so
   * the next screen under `id` starts as a first turn. Call it when the user starts a new chat
   * (`<guarded-chat>`'s "New conversation" button does). Other conversations are untouched.
   */
  resetConversation(id: string): Promise<void> {
    return this.call((remote) => remote.resetConversation(id));
  }

  /** How concurrent screens were batched into model runs so far. */
  batchStats(): Promise<{ runs: number; jobs: number; largestRun: number }> {
    return this.call((remote) => remote.batchStats());
  }

  /** Frees the model and stops the worker. Later calls reject with `disposed`. */
  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    for (const wake of this.settledWaiters.splice(0)) wake();
    try {
      await this.judgeHost?.release();
      await this.connection.close();
    } finally {
      this.audit?.close();
    }
  }
}

/**
 * A policy from a preset name (fitted to `calibration`, the model's calibrated thresholds) or
 * an object, validated: never half-applied.
 */
export function resolvePolicy(policy: Policy | keyof typeof POLICY_PRESETS, calibration: PresetCalibration = {}): Policy {
  if (typeof policy === 'string') {
    if (!POLICY_PRESETS[policy]) throw new GuardError('invalid-input', `no policy preset named ${JSON.stringify(policy)}; presets: ${Object.keys(POLICY_PRESETS).join(', ')}`);
    return calibratedPreset(policy, calibration);
  }
  const problems = validatePolicy(policy);
  if (problems.length > 0) {
    throw new GuardError('invalid-input', `the policy is invalid:\n${problems.map((p) => `- ${p.path || '(root)'}: ${p.message}`).join('\n')}`);
  }
  return structuredClone(policy);
}

/** Options for `guard.screen`. */
export interface ScreenOptions {
  /** `input` (default): a user's prompt before it is sent; `output`: a model's reply. */
  direction?: 'input' | 'output';
  /** Ties turns together for the conversation layer. */
  conversation?: string;
  /** Layers to run (all by default); for evaluation. */
  layers?: LayerSwitches;
  /** For a reply: the prompt it answers. A guard LLM's second review judges the reply in its context. */
  replyTo?: string;
  /**
   * Cancels the screen (e.g. the user edited the text): `screen()` rejects with `aborted` at
   * once, and a second-review judgement still waiting or running for it is stopped.
   */
  signal?: AbortSignal;
}

/** `work`, or a rejection with `aborted` as soon as `signal` aborts (after calling `onAbort`). */
function withCancel<T>(work: Promise<T>, signal: AbortSignal | undefined, onAbort: () => void): Promise<T> {
  if (!signal) return work;
  return new Promise<T>((resolve, reject) => {
    const abort = () => {
      onAbort();
      reject(new GuardError('aborted', 'the screen was cancelled'));
    };
    signal.addEventListener('abort', abort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', abort));
  });
}

/** The guard worker's judge calls, made through `call` (with the guard's deadline, or directly on a new worker). */
function judgeLinkTarget(call: <T>(fn: (remote: Remote<GuardWorkerApi>) => Promise<T>) => Promise<T>): JudgeLinkTarget {
  return {
    loading: (model) => call((remote) => remote.judgeLoading(model)),
    failed: (model, message) => call((remote) => remote.judgeFailed(model, message)),
    connect: (model, port) => call((remote) => remote.connectJudge(model, port)),
    drop: () => call((remote) => remote.dropJudge()),
  };
}

/** An llm second review needs the judge entry's provider: say so before anything loads. */
function checkJudgeAvailable(policy: Policy, provider: JudgeProvider | undefined): void {
  if (policy.secondReview?.kind === 'llm' && !provider) {
    throw new GuardError('invalid-input', 'an llm second review needs the judge: import { judge } from \'guarded-chat/judge\' and pass createGuard({ judge })');
  }
}

function failureVerdict(error: GuardError, direction: 'input' | 'output', policy: Policy, backend: BackendInfo): Verdict {
  const closed = policy.failureMode === 'closed';
  return {
    action: closed ? 'block' : 'warn',
    direction,
    reason: closed
      ? `Blocked: the guard could not screen this (${error.code}), and the policy fails closed.`
      : `Warning: the guard could not screen this (${error.code}); the policy fails open, so it was let through unscreened.`,
    categories: [],
    hits: [],
    scores: {},
    normalization: { flags: [], decoded: 0 },
    backend: backend.name,
    timings: { normalizeMs: 0, rulesMs: 0, classifierMs: 0, totalMs: 0 },
    failure: { code: error.code, message: error.message },
  };
}

/** Each guard's worker connection, for the fault injection in `src/testing/` (not part of the package's API). */
const connections = new WeakMap<Guard, WorkerConnection>();

/** @internal The worker connection behind a guard. */
export function connectionOf(guard: Guard): WorkerConnection {
  const connection = connections.get(guard);
  if (!connection) throw new GuardError('invalid-input', 'not a guard made by createGuard');
  return connection;
}

/**
 * Starts the guard's worker and loads the model in it: from IndexedDB when stored and intact,
 * else from the network (verified, then stored). Runs on WebGPU or WASM; see `guard.backend`.
 */
export async function createGuard(options: GuardOptions = {}): Promise<Guard> {
  if (options === null || typeof options !== 'object') throw new GuardError('invalid-input', 'createGuard takes an options object');
  const model: ModelSource = options.model ?? { name: DEFAULT_MODEL };
  const requestedPolicy = options.policy ?? 'balanced';
  // Checked now, before a worker starts; a preset is fitted to the model's calibration once it has loaded.
  const checkedPolicy = resolvePolicy(requestedPolicy);
  checkJudgeAvailable(checkedPolicy, options.judge);
  installGuardErrorTransfer();
  const pageUrl = globalThis.document?.baseURI ?? globalThis.location?.href;
  const source = resolveModelSource(model, pageUrl, SHIPPED_MODEL_FILES);
  const { tokens = DEFAULT_WINDOW.tokens, overlap = DEFAULT_WINDOW.overlap } = options.window ?? {};
  const fine = options.window?.fine === undefined ? DEFAULT_WINDOW.fine : options.window.fine;
  const badWindow = (t: number, o: number) => !Number.isInteger(t) || t < 8 || !Number.isInteger(o) || o < 0 || o >= t;
  if (badWindow(tokens, overlap) || (fine && badWindow(fine.tokens, fine.overlap))) {
    throw new GuardError('invalid-input', `window needs whole numbers with tokens ≥ 8 and 0 ≤ overlap < tokens; got ${JSON.stringify(options.window)}`);
  }
  if (options.signal?.aborted) throw new GuardError('aborted', 'the model load was cancelled');
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  if (!(timeoutMs > 0)) throw new GuardError('invalid-input', `timeoutMs must be a positive number of milliseconds; got ${options.timeoutMs}`);
  const maxPending = options.maxPendingScreens ?? DEFAULT_MAX_PENDING_SCREENS;
  if (!Number.isInteger(maxPending) || maxPending < 1) {
    throw new GuardError('invalid-input', `maxPendingScreens must be a whole number ≥ 1; got ${options.maxPendingScreens}`);
  }
  const download = checkDownloadRetry(options.download);

  let guard: Guard | null = null;
  const early: WorkerEvent[] = [];
  const onEvent = (event: WorkerEvent) => {
    if (event.type === 'progress') options.onProgress?.(event.progress);
    if (guard) guard.handleWorkerEvent(event);
    else early.push(event);
  };
  const cache = options.cache ?? true;
  const init = { source, dtype: model.dtype ?? 'auto', backend: options.backend ?? 'auto', cache, window: { tokens, overlap, fine, countPenalty: options.window?.countPenalty !== false }, download, runtime: resolveRuntimeUrls(options.runtime, pageUrl), prepareLanguage: Boolean(checkedPolicy.language) } as const;
  const { connection, ready } = await WorkerConnection.start({
    init,
    onEvent,
    onRestart: (info) => guard?.dispatchEvent(new CustomEvent('workerrestart', { detail: info })),
    onRestarted: (remote) => {
      // Not awaited: its call waits for the restart to finish, and this is part of the restart.
      guard?.reloadSecondModels();
      return guard?.relinkJudge(remote) ?? Promise.resolve();
    },
    ...(options.signal ? { signal: options.signal } : {}),
  });
  try {
    const audit = options.audit ? await AuditLog.open(options.audit === true ? {} : options.audit) : null;
    const judgeContext: JudgeContext = { ...(options.judge ? { provider: options.judge } : {}), cache, download, runtime: init.runtime };
    guard = new Guard(connection, ready, requestedPolicy, audit, timeoutMs, maxPending, judgeContext);
  } catch (error) {
    await connection.close();
    throw error;
  }
  for (const event of early) if (event.type !== 'progress') guard.handleWorkerEvent(event);
  // Ask the browser not to evict the weights under storage pressure (Window-only API).
  if (cache && ready.cache.fromNetwork.length > 0) void globalThis.navigator?.storage?.persist?.().catch(() => false);
  return guard;
}
