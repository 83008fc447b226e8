import type { ClassifierReviewPolicy, Guard, GuardStatusReport, JudgeStatus, LlmReviewPolicy, LoadProgress, Policy, ReviewModelStatus } from '../src/index.js';
import { el } from './element.js';

/**
 * The guard LLM the demo uses: the tiny test judge this build serves laid out as a hub
 * (test/fixtures/hub/), so the demo needs no network. A real guard model (Llama Guard,
 * ShieldGemma, a Qwen-style guard) is named the same way in a page's own policy: docs/judge.md.
 */
const TINY_JUDGE = {
  label: 'Tiny test judge (bundled, 0.5 MB; a test fixture: it only knows the made-up words "zorblax" and "quibbet")',
  model: () => ({ hub: 'acme/tiny-judge', host: new URL('test/fixtures/hub/', document.baseURI).href }),
  size: '0.5 MB',
};

/**
 * The cascade (docs/models.md, "The cascade"): guard-minilm, which this build serves from
 * `models/`, decides the labels in the default model's grey band: injection and jailbreak in
 * prompts, harm in replies, in the bands chosen on validation.
 */
const CASCADE = {
  review: (): ClassifierReviewPolicy => ({
    model: { url: new URL('models/guard-minilm/', document.baseURI).href },
    margin: [2, 1], labels: ['injection', 'jailbreak'],
    output: { margin: [2, 0], labels: ['harmful'] },
  }),
  size: '23.1 MB on WASM, 45.3 MB on WebGPU',
};

/** A second classifier's state line (`guard.status.review` or `.reader`); `fallback`: what happens while it cannot be loaded. */
export function secondModelLine(model: ReviewModelStatus | null, fallback: string): string {
  if (!model) return '';
  const name = model.model.replace(/\/$/, '').split('/').pop();
  if (model.state === 'loading') return `Loading ${name}…`;
  if (model.state === 'ready') return `Ready: ${name} (${model.cache && model.cache.fromNetwork.length === 0 ? 'from this device' : 'downloaded'}).`;
  return `${name} could not be loaded: ${model.message ?? 'unknown cause'}. ${fallback}`;
}

const mb = (bytes: number) => `${(bytes / 1_048_576).toFixed(1)} MB`;

/**
 * The policy tab's second reviews, one at a time: the cascade (a larger classifier on the grey
 * band) or a guard LLM judging the texts whose classifier score falls in the band. Turning one on
 * says how much it downloads first; the guard LLM's progress and state (`guard.judge`) show below it.
 */
export class SecondReviewControls {
  private readonly cascade = el('input', { type: 'checkbox', id: 'cascade-on' });
  private readonly cascadeState = el('p', { id: 'cascade-status', role: 'status' });
  private readonly on = el('input', { type: 'checkbox', id: 'review-on' });
  private readonly low = el('input', { type: 'number', id: 'review-low', min: 0, max: 1, step: 0.05, value: '0.2' });
  private readonly high = el('input', { type: 'number', id: 'review-high', min: 0, max: 1, step: 0.05, value: '0.95' });
  private readonly warning = el('p', { class: 'hint', id: 'review-warning' });
  private readonly progress = el('progress', { id: 'review-progress', max: 1, value: 0, hidden: true });
  private readonly state = el('p', { id: 'review-status', role: 'status' });

  constructor(private readonly edit: (change: (policy: Policy) => void) => void) {
    const apply = () => this.edit((policy) => {
      if (this.cascade.checked) {
        policy.secondReview = CASCADE.review();
        return;
      }
      if (!this.on.checked) {
        delete policy.secondReview;
        return;
      }
      const review: LlmReviewPolicy = {
        kind: 'llm', model: TINY_JUDGE.model(), family: 'llama-guard', dtype: 'fp32',
        band: [Number(this.low.value), Number(this.high.value)], replies: 'band',
      };
      policy.secondReview = review;
    });
    // A policy has one second review: turning one on turns the other off.
    this.cascade.addEventListener('change', () => {
      if (this.cascade.checked) this.on.checked = false;
      apply();
    });
    this.on.addEventListener('change', () => {
      if (this.on.checked) this.cascade.checked = false;
      apply();
    });
    for (const bound of [this.low, this.high]) bound.addEventListener('change', () => this.on.checked && apply());
    this.warning.textContent = `Turning this on downloads the model once (${TINY_JUDGE.size}) and keeps it in this browser's storage: later visits and offline use need no network. Until it has loaded, texts in the band keep the classifier's decision.`;
  }

  /** The controls, following `guard`'s judge: download progress and state. */
  watch(guard: Guard): HTMLElement {
    guard.addEventListener('judgeprogress', (event) => {
      const { overall, file } = (event as CustomEvent<LoadProgress>).detail;
      this.progress.hidden = false;
      this.progress.max = Math.max(1, overall.total);
      this.progress.value = overall.loaded;
      this.state.textContent = `Downloading the guard LLM: ${mb(overall.loaded)} of ${mb(overall.total)} (${file})`;
    });
    guard.addEventListener('judgechange', (event) => this.showStatus((event as CustomEvent<JudgeStatus>).detail));
    guard.addEventListener('statuschange', (event) => this.showCascade((event as CustomEvent<GuardStatusReport>).detail));
    this.showCascade(guard.status);
    return el('div', {}, el('fieldset', { class: 'review-controls' },
      el('legend', {}, 'Cascade: a larger classifier on the grey band'),
      el('p', {}, this.cascade, ' ', el('label', { for: 'cascade-on' },
        'Let guard-minilm (all-MiniLM-L6-v2, fine-tuned) decide injection and jailbreak in prompts, and harm in replies, where the default model\'s score is near its threshold')),
      el('p', { class: 'hint', id: 'cascade-warning' },
        `Turning this on downloads guard-minilm once (${CASCADE.size}) and keeps it in this browser's storage. About 5% of prompts are re-scored; each verdict says which labels were.`),
      this.cascadeState),
    el('fieldset', { class: 'review-controls' },
      el('legend', {}, 'Second review by a guard LLM'),
      el('p', {}, this.on, ' ', el('label', { for: 'review-on' }, 'Judge texts in the band with a guard LLM (transformers.js, in its own worker)')),
      el('p', {}, `Model: ${TINY_JUDGE.label}`),
      el('p', {}, el('label', { for: 'review-low' }, 'Band: top classifier score from '), this.low, el('label', { for: 'review-high' }, ' to below '), this.high),
      this.warning, this.progress, this.state));
  }

  /** The controls as the policy has them (after a preset replaced it, say). */
  show(policy: Policy): void {
    const review = policy.secondReview;
    this.on.checked = review?.kind === 'llm';
    this.cascade.checked = review !== undefined && review.kind !== 'llm' && review.margin !== undefined;
    if (review?.kind === 'llm') {
      this.low.value = String(review.band[0]);
      this.high.value = String(review.band[1]);
    } else {
      this.progress.hidden = true;
      this.state.textContent = '';
    }
  }

  /** The cascade's model as `guard.status.review` has it. */
  private showCascade(status: GuardStatusReport): void {
    this.cascadeState.textContent = secondModelLine(status.review, 'Texts in the band keep the default model\'s decision.');
  }

  private showStatus(status: JudgeStatus): void {
    if (status.status === 'loading') this.state.textContent = `Loading ${status.model}…`;
    else if (status.status === 'failed') {
      this.progress.hidden = true;
      this.state.textContent = `The guard LLM could not be loaded (${status.error.code}): ${status.error.message}`;
    } else {
      this.progress.hidden = true;
      const fromCache = status.cache.fromNetwork.length === 0 ? 'from this device' : `${status.cache.fromNetwork.length} file(s) downloaded`;
      this.state.textContent = `Ready: ${status.model} on ${status.backend.summary}; loaded in ${(status.loadMs / 1000).toFixed(1)} s (${fromCache}).`;
    }
  }
}
