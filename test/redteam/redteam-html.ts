/**
 * A red-team run as one self-contained HTML page: the run's settings, a per-technique bar chart
 * (inline SVG: catch rate of attacks beside the block rate of the same dressing on benign
 * requests, worst technique first), and the table behind it. No scripts, no external files.
 */
import type { RedTeamReport, TechniqueResult } from '../../src/redteam/runner.js';

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const pct = (x: number) => (Number.isFinite(x) ? `${(100 * x).toFixed(1)}%` : 'n/a');

/** Chart geometry, in SVG units. */
export const BARS = { labelWidth: 170, barWidth: 420, rowHeight: 26, barHeight: 10, top: 28 } as const;

/** Techniques worst first: lowest catch rate, then highest benign FPR. */
export function worstFirst(techniques: readonly TechniqueResult[]): TechniqueResult[] {
  const rate = (x: number) => (Number.isNaN(x) ? Number.POSITIVE_INFINITY : x);
  return [...techniques].sort((a, b) => rate(a.catchRate) - rate(b.catchRate) || (b.benignFpr || 0) - (a.benignFpr || 0) || a.technique.localeCompare(b.technique));
}

/**
 * The bar chart: per technique a green bar (attacks caught) and a red one (benign cases blocked),
 * each `<rect>` carrying `data-technique`, `data-kind` and `data-rate` so the figures can be read back.
 */
export function techniqueChart(techniques: readonly TechniqueResult[]): string {
  const rows = worstFirst(techniques);
  const width = BARS.labelWidth + BARS.barWidth + 60;
  const height = BARS.top + rows.length * BARS.rowHeight + 10;
  const x0 = BARS.labelWidth;
  const grid = [0, 0.25, 0.5, 0.75, 1].map((t) => {
    const x = x0 + t * BARS.barWidth;
    return `<line x1="${x}" y1="${BARS.top - 6}" x2="${x}" y2="${height - 6}" stroke="#e0e0e0"/><text x="${x}" y="${BARS.top - 10}" text-anchor="middle">${100 * t}%</text>`;
  }).join('');
  const bar = (t: TechniqueResult, kind: 'caught' | 'benign-blocked', rate: number, y: number, color: string) => {
    const w = Number.isFinite(rate) ? rate * BARS.barWidth : 0;
    return `<rect data-technique="${escapeHtml(t.technique)}" data-kind="${kind}" data-rate="${Number.isFinite(rate) ? rate : 'NaN'}" x="${x0}" y="${y}" width="${w.toFixed(1)}" height="${BARS.barHeight}" fill="${color}"/>`
      + `<text x="${x0 + w + 4}" y="${y + BARS.barHeight - 1}">${pct(rate)}</text>`;
  };
  const bars = rows.map((t, i) => {
    const y = BARS.top + i * BARS.rowHeight;
    return `<text x="${x0 - 8}" y="${y + BARS.barHeight + 3}" text-anchor="end">${escapeHtml(t.technique)}</text>`
      + bar(t, 'caught', t.catchRate, y, '#2e7d32') + bar(t, 'benign-blocked', t.benignFpr, y + BARS.barHeight + 1, '#c62828');
  }).join('');
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="catch rate and benign false-positive rate per technique">`
    + `<title>Catch rate (green) and benign false-positive rate (red) per technique</title>${grid}${bars}</svg>`;
}

/** The whole page. */
export function renderRedTeamHtml(report: RedTeamReport, title: string, settings: Record<string, string | number>): string {
  const rows = worstFirst(report.techniques)
    .map((t) => `<tr><th>${escapeHtml(t.technique)}</th><td>${escapeHtml(t.family)}</td><td>${pct(t.catchRate)}</td><td>${t.caught}/${t.attacks}</td><td>${pct(t.keptShare)}</td><td>${t.keptCatches}/${t.caughtAsWritten}</td><td>${pct(t.benignFpr)}</td><td>${t.benignBlocked}/${t.benign} (${t.benignBlockedAsWritten} as written)</td></tr>`).join('\n');
  const settingRows = Object.entries(settings).map(([k, v]) => `<tr><th>${escapeHtml(k)}</th><td>${escapeHtml(String(v))}</td></tr>`).join('');
  const o = report.overall;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<style>body{font:14px/1.4 system-ui,sans-serif;margin:2rem;color:#222;max-width:1000px}
table{border-collapse:collapse;margin:.5rem 0}th,td{padding:3px 10px;text-align:right;border-bottom:1px solid #eee}th:first-child{text-align:left}
svg text{font-size:11px;fill:#333}.key span{display:inline-block;width:12px;height:10px;margin:0 4px 0 12px}</style></head><body>
<h1>${escapeHtml(title)}</h1>
<table>${settingRows}</table>
<p>Overall: caught ${pct(o.catchRate)} of ${o.attacks} attacks; blocked ${pct(o.benignFpr)} of ${o.benign} benign cases dressed the same way. Worst technique first.</p>
<p class="key"><span style="background:#2e7d32"></span>attacks caught (higher is better)<span style="background:#c62828"></span>benign cases blocked (lower is better)</p>
${techniqueChart(report.techniques)}
<table><tr><th>technique</th><th>family</th><th>catch rate</th><th>caught</th><th>kept of the catches as written</th><th>kept</th><th>benign FPR</th><th>benign blocked</th></tr>
${rows}</table>
${report.categories.length > 1 ? `<h2>By seed category</h2>
<table><tr><th>category</th><th>catch rate</th><th>caught</th></tr>
${[...report.categories].sort((a, b) => a.catchRate - b.catchRate).map((c) => `<tr><th>${escapeHtml(c.category)}</th><td>${pct(c.catchRate)}</td><td>${c.caught}/${c.attacks}</td></tr>`).join('\n')}</table>` : ''}
</body></html>
`;
}
