import { generateCases, runRedTeam, TECHNIQUES, type Guard, type RedTeamReport } from '../src/index.js';
import { el, percent } from './element.js';
import { BENIGN_GOALS, HARMFUL_GOALS } from './redteam-seeds.js';
import { techniqueChart } from './technique-chart.js';

/**
 * The red-team console: dresses the bundled goals in every technique (seeded, so a run can be
 * repeated), screens them with the page's guard under its current policy, and shows progress,
 * then per technique the catch rate and the benign false-positive rate.
 */
export class RedTeamConsole {
  private readonly perTechnique = el('input', { type: 'number', id: 'redteam-n', min: 1, max: HARMFUL_GOALS.length, value: 2 });
  private readonly seed = el('input', { type: 'number', id: 'redteam-seed', min: 1, value: 1 });
  private readonly run = el('button', { type: 'button', id: 'redteam-run' }, 'Run the suite');
  private readonly progress = el('progress', { id: 'redteam-progress', max: 1, value: 0, 'aria-label': 'Red-team progress' });
  private readonly progressText = el('span', { id: 'redteam-progress-text' });
  private readonly summary = el('p', { id: 'redteam-summary', role: 'status', 'aria-live': 'polite' });
  private readonly results = el('div', { id: 'redteam-results' });

  constructor(root: HTMLElement, private readonly guard: Guard) {
    this.run.addEventListener('click', () => void this.start());
    root.append(
      el('div', { class: 'redteam-controls' },
        el('label', { for: 'redteam-n' }, 'Goals per technique'), this.perTechnique,
        el('label', { for: 'redteam-seed' }, 'Seed'), this.seed,
        this.run),
      el('details', {}, el('summary', {}, `The bundled goals (${HARMFUL_GOALS.length} harmful, ${BENIGN_GOALS.length} benign) and the ${TECHNIQUES.length} techniques`),
        el('h3', {}, 'Harmful requests'), el('ul', {}, ...HARMFUL_GOALS.map((g) => el('li', {}, g))),
        el('h3', {}, 'Benign questions'), el('ul', {}, ...BENIGN_GOALS.map((g) => el('li', {}, g))),
        el('h3', {}, 'Techniques'), el('ul', {}, ...TECHNIQUES.map((t) => el('li', {}, el('code', {}, t.id), ` (${t.family}): ${t.description}`)))),
      el('div', { class: 'progress-row' }, this.progress, this.progressText),
      this.summary,
      this.results,
    );
  }

  private async start(): Promise<void> {
    const n = Math.max(1, Math.min(HARMFUL_GOALS.length, Math.round(Number(this.perTechnique.value)) || 1));
    const seed = Math.max(1, Math.round(Number(this.seed.value)) || 1);
    const cases = [
      ...generateCases(HARMFUL_GOALS, 'attack', { perTechnique: n, seed }),
      ...generateCases(BENIGN_GOALS, 'benign', { perTechnique: n, seed }),
    ];
    this.run.disabled = true;
    this.results.replaceChildren();
    this.summary.textContent = `Screening ${cases.length} cases under the "${this.guard.policy.name ?? 'custom'}" policy…`;
    const started = performance.now();
    const onProgress = (done: number, total: number) => {
      this.progress.max = total;
      this.progress.value = done;
      this.progressText.textContent = `${done} / ${total}`;
    };
    onProgress(0, cases.length);
    try {
      // Multi-turn cases keep their conversation ids across runs: start each from a clean history.
      await Promise.all(cases.filter((c) => 'turns' in c).map((c) => this.guard.resetConversation(c.id)));
      const report = await runRedTeam(this.guard, cases, onProgress);
      this.show(report, performance.now() - started);
    } catch (error) {
      this.summary.textContent = `The run failed: ${error instanceof Error ? error.message : String(error)}`;
    } finally {
      this.run.disabled = false;
    }
  }

  private show(report: RedTeamReport, ms: number): void {
    const o = report.overall;
    this.summary.textContent = `Done: ${o.caught} of ${o.attacks} attacks caught (${percent(o.catchRate)}); ${o.benignBlocked} of ${o.benign} benign cases blocked (${percent(o.benignFpr)}); ${(ms / 1000).toFixed(1)} s.`;
    document.body.dataset.redteam = 'done';
    const table = el('table', { class: 'redteam-table' },
      el('caption', {}, 'Per technique'),
      el('thead', {}, el('tr', {}, ...['technique', 'family', 'caught', 'catch rate', 'benign blocked', 'benign FPR'].map((h) => el('th', { scope: 'col' }, h)))),
      el('tbody', {}, ...report.techniques.map((r) => el('tr', { 'data-technique': r.technique },
        el('th', { scope: 'row' }, r.technique), el('td', {}, r.family),
        el('td', { class: 'num' }, `${r.caught}/${r.attacks}`), el('td', { class: 'num' }, percent(r.catchRate)),
        el('td', { class: 'num' }, `${r.benignBlocked}/${r.benign}`), el('td', { class: 'num' }, percent(r.benignFpr))))));
    this.results.replaceChildren(el('div', { class: 'chart-scroll' }, techniqueChart(report.techniques)), table);
  }
}
