import { GuardError } from '../errors.js';
import { ClassifierEngine, type Calibration, type EngineInit } from '../inference/engine.js';
import type { Policy } from '../policy/policy.js';
import type { Verdict } from '../policy/verdict.js';
import { loadFastTextLid } from '../screen/language/fasttext-lid.js';
import { LanguageIdentifier, type LanguageModelLoader } from '../screen/language/language-identifier.js';
import { ALL_LAYERS, ScreeningPipeline, type LayerSwitches, type LlmReviewer, type Reviewer, type ScreenRequest } from '../screen/pipeline.js';
import type { ResolvedModelSource } from '../store/model-source.js';
import type { BackendInfo, CacheReport, LoadProgress, LoadTimings, ModelDtype, OptionalPartStatus, ScreenResult } from '../types.js';
import { wrap } from 'comlink';
import type { JudgeWorkerApi } from '../judge/judge-worker-api.js';
import { JudgeClient, DEFAULT_MAX_WAITING_REVIEWS, ManualReviewClock, TIMER_CLOCK, type ReviewControl } from './judge-client.js';

/** `promise`, or `late()` as a rejection once `ms` passed first (no limit when `ms` is undefined). */
function within<T>(promise: Promise<T>, ms: number | undefined, late: () => Error): Promise<T> {
  if (ms === undefined) return promise;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(late()), ms);
  });
  return Promise.race([promise, deadline]).finally(() => clearTimeout(timer));
}

/** What the worker tells the main thread while it works. */
export type WorkerEvent =
  | { type: 'progress'; progress: LoadProgress }
  | { type: 'backend'; backend: BackendInfo }
  /** The language-id model started loading, is ready, or is unavailable. */
  | { type: 'language'; status: OptionalPartStatus };

/** The worker's answer to `init`. */
export interface WorkerReady {
  backend: BackendInfo;
  labels: readonly string[];
  cache: CacheReport;
  calibration: Calibration;
  loadTimings: LoadTimings;
  /** The language-id model, as of now (it loads after the classifier; `language` events follow). */
  language: OptionalPartStatus;
}

/**
 * The worker's side of the Comlink boundary. The only place models run: the main thread
 * never blocks on tokenizing, rules or inference.
 */
export class GuardWorkerApi {
  private engine: ClassifierEngine | null = null;
  private pipeline: ScreeningPipeline | null = null;
  private readonly loading = new AbortController();
  private init_: EngineInit | null = null;
  /** Second-review and multilingual-reader engines by model id: loaded when a policy names one (`prepareReview`, `prepareReader`), else on first use. */
  private readonly reviewers = new Map<string, Promise<ClassifierEngine>>();
  /** The guard LLM of an llm second review, as the page's guard last described it. */
  private judge: { client: JudgeClient; port?: MessagePort } | null = null;
  /** The language-id model: loaded on the first screen whose policy has a `language` section. */
  private readonly languageId: LanguageIdentifier;
  /** The deadlines' clock and the waiting gate of every llm review (tests may hold them). */
  private readonly reviewControl: ReviewControl = { clock: TIMER_CLOCK, gate: null };
  private releaseReviews: (() => void) | null = null;
  private onEvent: ((event: WorkerEvent) => void) | undefined;

  /**
   * @param loadLanguageModel how the language step gets its model: by default fastText's
   *   `lid.176.ftz` from the bundled package files, through the model store as `init` says
   *   (cache, download retries); Node scripts pass the package's Node build instead.
   */
  constructor(loadLanguageModel?: LanguageModelLoader) {
    const load: LanguageModelLoader = loadLanguageModel ?? (() => loadFastTextLid({
      cache: this.init_?.cache ?? true,
      ...(this.init_?.download ? { download: this.init_.download } : {}),
    }));
    this.languageId = new LanguageIdentifier(load, (status) => {
      // The page may be gone (its guard disposed): nobody to tell, nothing to fail.
      Promise.resolve(this.onEvent?.({ type: 'language', status })).catch(() => undefined);
    });
  }

  /** Loads the model; `onEvent` (a Comlink proxy) hears progress and backend changes. */
  async init(init: EngineInit, onEvent?: (event: WorkerEvent) => void): Promise<WorkerReady> {
    if (this.engine) throw new GuardError('invalid-input', 'the guard worker is already initialised');
    this.onEvent = onEvent;
    const engine = await ClassifierEngine.create(init, {
      signal: this.loading.signal,
      onProgress: (progress) => void onEvent?.({ type: 'progress', progress }),
      onBackendChange: (backend) => void onEvent?.({ type: 'backend', backend }),
    });
    this.engine = engine;
    this.init_ = init;
    this.pipeline = new ScreeningPipeline((text) => engine.classify(text), undefined, this.languageId);
    // After the classifier, not beside it: it would compete for the CPU the load needs, and the
    // first screen (the user is still typing) then no longer waits for it.
    if (init.prepareLanguage) this.languageId.prepare();
    return { backend: engine.backend, labels: engine.labels, cache: engine.cacheReport, calibration: engine.calibration, loadTimings: engine.loadTimings, language: this.languageId.status };
  }

  /** Cancels a load in progress (its downloads abort; `init` rejects with `aborted`). */
  cancelInit(): void {
    this.loading.abort();
  }

  /**
   * The full layered screen of one text under `policy`. `reviewWaitMs`: how long it waits for a
   * classifier review's model that is still loading (default: as long as the load takes); past
   * it, the review fails for this text and the first model's scores stand.
   */
  async screen(request: ScreenRequest, policy: Policy, layers: LayerSwitches = ALL_LAYERS, review?: ResolvedModelSource, screen?: number,
    reviewWaitMs?: number, reader?: ResolvedModelSource): Promise<Verdict> {
    if (!this.pipeline) throw new GuardError('worker-failed', 'the guard worker has no model loaded');
    let reviewer: Reviewer | LlmReviewer | undefined;
    if (policy.secondReview?.kind === 'llm') {
      const client = this.judge?.client ?? this.judgeClient({ status: 'failed', model: policy.secondReview.model.hub, message: 'no judge is connected to this guard' });
      reviewer = { kind: 'llm', id: client.id, judge: (judged, timeoutMs) => client.judge(judged, timeoutMs, screen) };
    } else if (review) {
      reviewer = this.extraModel(review, reviewDtype(policy), reviewWaitMs, 'the second model', 'the first model decided this text');
    }
    const readerModel = reader && this.extraModel(reader, readerDtype(policy), reviewWaitMs,
      'the multilingual model', 'the text was handled as not covered');
    return this.pipeline.screen(request, policy, layers, reviewer, readerModel);
  }

  /** A second classifier (review or multilingual reader) as the pipeline sees it; a screen waits at most `waitMs` for its load. */
  private extraModel(source: ResolvedModelSource, dtype: ModelDtype, waitMs: number | undefined, what: string, then: string): Reviewer {
    const engine = () => within(this.extraEngine(source, dtype), waitMs,
      () => new GuardError('timeout', `${what} is still loading after ${waitMs} ms; ${then}`));
    return {
      id: source.id,
      classify: async (text) => (await engine()).classify(text),
      thresholds: async () => (await engine()).calibration,
    };
  }

  /** The page cancelled screen `screen` (its text was edited): its review, waiting or running, stops. */
  cancelScreen(screen: number): void {
    this.judge?.client.cancelScreen(screen);
  }

  /** The guard LLM is loading (its first use downloads it): texts in the band get `judge-loading` meanwhile. */
  judgeLoading(model: string): void {
    this.setJudge(this.judgeClient({ status: 'loading', model }));
  }

  /** The guard LLM could not be loaded: texts in the band get `judge-unavailable`. */
  judgeFailed(model: string, message: string): void {
    this.setJudge(this.judgeClient({ status: 'failed', model, message }));
  }

  /** The guard LLM is ready: reviews go to its worker over `port`. */
  connectJudge(model: string, port: MessagePort): void {
    const remote = wrap<JudgeWorkerApi>(port);
    this.setJudge(this.judgeClient({ status: 'ready', model, remote }), port);
  }

  /** The policy no longer has an llm review. */
  dropJudge(): void {
    this.setJudge(null);
  }

  private judgeClient(link: ConstructorParameters<typeof JudgeClient>[0]): JudgeClient {
    return new JudgeClient(link, DEFAULT_MAX_WAITING_REVIEWS, this.reviewControl);
  }

  /** Tests: review deadlines pass only when `expireReviewDeadlinesForTesting` says (src/testing/guard-faults.ts). */
  useManualReviewClockForTesting(): void {
    this.reviewControl.clock = new ManualReviewClock();
  }

  /** Tests: passes every review deadline now (manual clock only); returns how many there were. */
  expireReviewDeadlinesForTesting(): number {
    const clock = this.reviewControl.clock;
    return clock instanceof ManualReviewClock ? clock.expireAll() : 0;
  }

  /** Tests: reviews wait (counted as waiting) until `releaseReviewsForTesting`. */
  holdReviewsForTesting(): void {
    if (this.reviewControl.gate) return;
    this.reviewControl.gate = new Promise((resolve) => (this.releaseReviews = resolve));
  }

  releaseReviewsForTesting(): void {
    this.reviewControl.gate = null;
    this.releaseReviews?.();
    this.releaseReviews = null;
  }

  /** Tests: llm reviews waiting or running now. */
  waitingReviewsForTesting(): number {
    return this.judge?.client.waitingReviews ?? 0;
  }

  private setJudge(client: JudgeClient | null, port?: MessagePort): void {
    this.judge?.port?.close();
    this.judge = client ? { client, ...(port ? { port } : {}) } : null;
  }

  /** Starts loading the second-review model now, so the first grey-band text does not wait for it. */
  prepareReview(review: ResolvedModelSource, policy: Policy): Promise<CacheReport> {
    return this.extraEngine(review, reviewDtype(policy)).then((engine) => engine.cacheReport);
  }

  /** Starts loading the multilingual reader now, so the first text in its languages does not wait for it. */
  prepareReader(reader: ResolvedModelSource, policy: Policy): Promise<CacheReport> {
    return this.extraEngine(reader, readerDtype(policy)).then((engine) => engine.cacheReport);
  }

  private extraEngine(source: ResolvedModelSource, dtype: ModelDtype): Promise<ClassifierEngine> {
    let engine = this.reviewers.get(source.id);
    if (!engine) {
      engine = ClassifierEngine.create({ ...this.init_!, source, dtype });
      engine.catch(() => this.reviewers.delete(source.id)); // a failed load may be retried
      this.reviewers.set(source.id, engine);
    }
    return engine;
  }

  /** The classifier alone on the text as given: raw per-label probabilities. */
  async classify(text: string): Promise<ScreenResult> {
    if (!this.engine) throw new GuardError('worker-failed', 'the guard worker has no model loaded');
    return this.engine.classify(text);
  }

  /** Forgets a conversation's history in the conversation layer. */
  resetConversation(id: string): void {
    this.pipeline?.resetConversation(id);
  }

  /** How screens were batched into model runs so far. */
  batchStats(): { runs: number; jobs: number; largestRun: number } {
    return this.engine?.batchStats ?? { runs: 0, jobs: 0, largestRun: 0 };
  }

  /** Test hook: blocks this thread for `ms`, as a hung model run would. */
  hangForTesting(ms: number): void {
    const until = performance.now() + ms;
    while (performance.now() < until) {
      // busy: the point is that nothing else can run
    }
  }

  /** Test hook: loses the WebGPU device the way a driver reset would. */
  destroyGpuDeviceForTesting(): Promise<boolean> {
    return this.engine?.destroyGpuDeviceForTesting() ?? Promise.resolve(false);
  }

  /** Frees the model's memory before the worker is terminated. */
  async dispose(): Promise<void> {
    this.setJudge(null);
    for (const reviewer of this.reviewers.values()) await reviewer.then((e) => e.release(), () => undefined);
    this.reviewers.clear();
    await this.engine?.release();
    this.engine = null;
    this.pipeline = null;
  }
}

/** The dtype a classifier second review asks for. */
const reviewDtype = (policy: Policy): ModelDtype => {
  const review = policy.secondReview;
  return review && review.kind !== 'llm' ? review.model.dtype ?? 'auto' : 'auto';
};

/** The dtype the multilingual reader asks for. */
const readerDtype = (policy: Policy): ModelDtype => policy.language?.multilingual?.model.dtype ?? 'auto';
