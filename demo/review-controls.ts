import type { Guard, JudgeStatus, LlmReviewPolicy, LoadProgress, Policy } from '../src/index.js';
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

const mb = (bytes: number) => `${(bytes / 1_048_576).toFixed(1)} MB`;

/**
 * The policy tab's "Second review" switch: a guard LLM judges the texts whose classifier score
 * falls in the band. Turning it on says how much it downloads first; the download's progress
 * and the model's state (`guard.judge`) show below it.
 */
export class SecondReviewControls {
  private readonly on = el('input', { type: 'checkbox', id: 'review-on' });
  private readonly low = el('input', { type: 'number', id: 'review-low', min: 0, max: 1, step: 0.05, value: '0.2' });
  private readonly high = el('input', { type: 'number', id: 'review-high', min: 0, max: 1, step: 0.05, value: '0.95' });
  private readonly warning = el('p', { class: 'hint', id: 'review-warning' });
  private readonly progress = el('progress', { id: 'review-progress', max: 1, value: 0, hidden: true });
  private readonly state = el('p', { id: 'review-status', role: 'status' });

  constructor(private readonly edit: (change: (policy: Policy) => void) => void) {
    const apply = () => this.edit((policy) => {
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
    this.on.addEventListener('change', apply);
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
    return el('fieldset', { class: 'review-controls' },
      el('legend', {}, 'Second review by a guard LLM'),
      el('p', {}, this.on, ' ', el('label', { for: 'review-on' }, 'Judge texts in the band with a guard LLM (transformers.js, in its own worker)')),
      el('p', {}, `Model: ${TINY_JUDGE.label}`),
      el('p', {}, el('label', { for: 'review-low' }, 'Band: top classifier score from '), this.low, el('label', { for: 'review-high' }, ' to below '), this.high),
      this.warning, this.progress, this.state);
  }

  /** The controls as the policy has them (after a preset replaced it, say). */
  show(policy: Policy): void {
    const review = policy.secondReview;
    this.on.checked = review?.kind === 'llm';
    if (review?.kind === 'llm') {
      this.low.value = String(review.band[0]);
      this.high.value = String(review.band[1]);
    } else {
      this.progress.hidden = true;
      this.state.textContent = '';
    }
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
