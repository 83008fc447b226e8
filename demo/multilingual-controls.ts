import type { Guard, GuardStatusReport, MultilingualReaderPolicy, Policy } from '../src/index.js';
import { el } from './element.js';
import { secondModelLine } from './review-controls.js';

/**
 * The multilingual reader (docs/models.md, "The multilingual reader"): guard-use-m3, which this
 * build serves from `models/`, scores the Chinese texts the default model cannot read.
 */
const READER = {
  reader: (): MultilingualReaderPolicy => ({ model: { url: new URL('models/guard-use-m3/', document.baseURI).href }, languages: ['zh'] }),
  size: '80.7 MB',
};

/** The policy tab's switch for the multilingual reader, with its state (`guard.status.reader`). */
export class MultilingualControls {
  private readonly on = el('input', { type: 'checkbox', id: 'multilingual-on' });
  private readonly state = el('p', { id: 'multilingual-status', role: 'status' });

  constructor(private readonly edit: (change: (policy: Policy) => void) => void) {
    this.on.addEventListener('change', () => this.edit((policy) => {
      if (!policy.language) return;
      if (this.on.checked) policy.language.multilingual = READER.reader();
      else delete policy.language.multilingual;
    }));
  }

  watch(guard: Guard): HTMLElement {
    guard.addEventListener('statuschange', (event) => this.showStatus((event as CustomEvent<GuardStatusReport>).detail));
    this.showStatus(guard.status);
    return el('fieldset', { class: 'review-controls' },
      el('legend', {}, 'Other languages: a multilingual reader'),
      el('p', {}, this.on, ' ', el('label', { for: 'multilingual-on' },
        'Let guard-use-m3 (Universal Sentence Encoder multilingual, with our head) read Chinese texts, which the default model cannot read and the policy only warns on')),
      el('p', { class: 'hint', id: 'multilingual-warning' },
        `Turning this on downloads guard-use-m3 once (${READER.size}) and keeps it in this browser's storage. Measured on Chinese only; each verdict it read says so.`),
      this.state);
  }

  /** The switch as the policy has it (after a preset replaced it, say). */
  show(policy: Policy): void {
    this.on.checked = policy.language?.multilingual !== undefined;
    this.on.disabled = policy.language === undefined;
  }

  private showStatus(status: GuardStatusReport): void {
    this.state.textContent = secondModelLine(status.reader, 'Chinese texts are handled as not covered.');
  }
}
