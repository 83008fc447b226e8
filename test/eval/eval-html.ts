/**
 * The eval run as one self-contained HTML page: the run's settings, per category a ROC chart
 * (inline SVG: ours and every peer that claims the category, on the same axes, with a second
 * chart zoomed to the low-FPR corner where a guard actually operates) and a metrics table.
 * No scripts, no external files: it opens from disk or as a CI artifact.
 */
import type { EvalReport, SystemResult } from './eval-report.js';
import type { RocPoint } from './roc.js';

const COLORS = ['#1565c0', '#c62828', '#2e7d32', '#6a1b9a', '#ef6c00'];

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const pct = (x: number) => (Number.isFinite(x) ? `${(100 * x).toFixed(1)}%` : 'n/a');
const num = (x: number) => (Number.isFinite(x) ? x.toFixed(3) : 'n/a');

/** Chart geometry: the plot area inside the SVG, in SVG units. */
export const PLOT = { left: 46, top: 12, width: 300, height: 300 } as const;

/** SVG coordinates of an ROC point on a chart whose x axis runs 0…`maxFpr`. */
export function toSvg(point: Pick<RocPoint, 'fpr' | 'tpr'>, maxFpr: number): [number, number] {
  const x = PLOT.left + (Math.min(point.fpr, maxFpr) / maxFpr) * PLOT.width;
  const y = PLOT.top + (1 - point.tpr) * PLOT.height;
  return [Number(x.toFixed(2)), Number(y.toFixed(2))];
}

/** The inverse of `toSvg` (for tests and for anyone reading the chart's data back). */
export function fromSvg([x, y]: [number, number], maxFpr: number): { fpr: number; tpr: number } {
  return { fpr: ((x - PLOT.left) / PLOT.width) * maxFpr, tpr: 1 - (y - PLOT.top) / PLOT.height };
}

/** A curve cut at `maxFpr`: the points up to it, and the curve's height where it crosses it. */
function clip(points: readonly RocPoint[], maxFpr: number): Pick<RocPoint, 'fpr' | 'tpr'>[] {
  const out: Pick<RocPoint, 'fpr' | 'tpr'>[] = [];
  for (let i = 0; i < points.length; i++) {
    const p = points[i]!;
    if (p.fpr <= maxFpr) {
      out.push(p);
      continue;
    }
    const prev = points[i - 1];
    if (prev && prev.fpr < maxFpr) {
      const t = (maxFpr - prev.fpr) / (p.fpr - prev.fpr);
      out.push({ fpr: maxFpr, tpr: prev.tpr + t * (p.tpr - prev.tpr) });
    }
    break;
  }
  return out;
}

/** One ROC chart: a polyline per system (`data-system` names it), axes, ticks and the chance line. */
export function rocChart(label: string, curves: { system: string; color: string; points: readonly RocPoint[] }[], maxFpr: number): string {
  const w = PLOT.left + PLOT.width + 12;
  const h = PLOT.top + PLOT.height + 40;
  const ticks = [0, 0.25, 0.5, 0.75, 1];
  const axis = [
    `<rect x="${PLOT.left}" y="${PLOT.top}" width="${PLOT.width}" height="${PLOT.height}" fill="#fafafa" stroke="#999"/>`,
    ...ticks.map((t) => {
      const [x] = toSvg({ fpr: t * maxFpr, tpr: 0 }, maxFpr);
      const [, y] = toSvg({ fpr: 0, tpr: t }, maxFpr);
      return `<line x1="${x}" y1="${PLOT.top}" x2="${x}" y2="${PLOT.top + PLOT.height}" stroke="#e0e0e0"/>`
        + `<line x1="${PLOT.left}" y1="${y}" x2="${PLOT.left + PLOT.width}" y2="${y}" stroke="#e0e0e0"/>`
        + `<text x="${x}" y="${PLOT.top + PLOT.height + 14}" text-anchor="middle">${maxFpr < 1 ? `${+(100 * t * maxFpr).toFixed(1)}%` : t}</text>`
        + `<text x="${PLOT.left - 4}" y="${y + 4}" text-anchor="end">${t}</text>`;
    }),
    `<text x="${PLOT.left + PLOT.width / 2}" y="${h - 6}" text-anchor="middle">false-positive rate (benign flagged)</text>`,
    `<text transform="translate(11 ${PLOT.top + PLOT.height / 2}) rotate(-90)" text-anchor="middle">recall</text>`,
  ];
  const chance = clip([{ threshold: 1, fpr: 0, tpr: 0 }, { threshold: 0, fpr: 1, tpr: 1 }], maxFpr).map((p) => toSvg(p, maxFpr).join(',')).join(' ');
  const lines = curves.map((c) => {
    const pts = clip(c.points, maxFpr).map((p) => toSvg(p, maxFpr).join(',')).join(' ');
    return `<polyline class="roc" data-system="${escapeHtml(c.system)}" data-label="${escapeHtml(label)}" data-max-fpr="${maxFpr}" points="${pts}" fill="none" stroke="${c.color}" stroke-width="2"/>`;
  });
  const title = `${label}: ROC ${maxFpr < 1 ? `(FPR 0–${pct(maxFpr)})` : ''}`;
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${w} ${h}" width="${w}" height="${h}" role="img" aria-label="${escapeHtml(title)}">`
    + `<title>${escapeHtml(title)}</title>${axis.join('')}`
    + `<polyline points="${chance}" fill="none" stroke="#bbb" stroke-dasharray="4 4"/>${lines.join('')}</svg>`;
}

function metricsTable(label: string, systems: readonly SystemResult[]): string {
  const rows = systems.filter((s) => s.labels[label]).map((s) => {
    const m = s.labels[label]!.metrics;
    return `<tr><th>${escapeHtml(s.name)}</th><td>${m.count}</td><td>${s.graded ? num(m.rocAuc) : `${num(m.rocAuc)}*`}</td><td>${num(m.threshold)}</td>`
      + `<td>${pct(m.precision)}</td><td>${pct(m.recall)}</td><td>${pct(m.f1)}</td><td>${pct(m.recallAt1PctFpr)}</td><td>${pct(m.benignFpr)}</td></tr>`;
  });
  return `<table><tr><th>system</th><th>rows</th><th>ROC-AUC</th><th>threshold</th><th>precision</th><th>recall</th><th>F1</th><th>recall @1% FPR</th><th>benign FPR</th></tr>${rows.join('')}</table>`;
}

/** The whole report as an HTML document. */
export function renderEvalHtml(report: EvalReport): string {
  const color = new Map(report.systems.map((s, i) => [s.name, COLORS[i % COLORS.length]!]));
  const settings = Object.entries(report.settings).map(([k, v]) => `<tr><th>${escapeHtml(k)}</th><td>${escapeHtml(String(v))}</td></tr>`).join('');
  const legend = report.systems.map((s) => `<li><span class="swatch" style="background:${color.get(s.name)}"></span><b>${escapeHtml(s.name)}</b>: ${escapeHtml(s.note)}</li>`).join('');
  const sections = report.labels.map((label) => {
    const claimed = report.systems.filter((s) => s.labels[label]);
    const curves = claimed.map((s) => ({ system: s.name, color: color.get(s.name)!, points: s.labels[label]!.roc }));
    const absent = report.systems.filter((s) => !s.labels[label]).map((s) => s.name);
    return `<section><h2>${escapeHtml(label)}</h2><div class="charts">${rocChart(label, curves, 1)}${rocChart(label, curves, 0.1)}</div>`
      + metricsTable(label, report.systems)
      + (absent.length ? `<p class="note">Not compared here (they claim no such category): ${absent.map(escapeHtml).join(', ')}.</p>` : '')
      + '</section>';
  }).join('\n');
  const layers = report.layers
    ? `<section><h2>Layers (our guard)</h2><table><tr><th>layers</th><th>attacks blocked</th><th>benign blocked</th></tr>${report.layers.map((l) => `<tr><th>${escapeHtml(l.name)}</th><td>${pct(l.caught)}</td><td>${pct(l.benignBlocked)}</td></tr>`).join('')}</table></section>`
    : '';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(report.title)}</title>
<style>
body{font:14px/1.4 system-ui,sans-serif;margin:2rem;color:#222;max-width:1100px}
table{border-collapse:collapse;margin:.5rem 0}th,td{padding:3px 10px;text-align:right;border-bottom:1px solid #eee}th:first-child{text-align:left}
.charts{display:flex;gap:1rem;flex-wrap:wrap}svg text{font-size:11px;fill:#444}
.swatch{display:inline-block;width:14px;height:4px;vertical-align:middle;margin-right:6px}.note{color:#666}ul{padding-left:1.2rem}
</style></head><body>
<h1>${escapeHtml(report.title)}</h1>
<table>${settings}</table>
<h2>Systems</h2><ul>${legend}</ul>
<p class="note">Each category is judged on its own rows against the benign rows. Threshold: each system's own decision threshold.
Recall @1% FPR moves the threshold so that 1% of benign rows are flagged. * a score with a few discrete levels: its curve is a few straight steps.</p>
${report.notes.map((n) => `<p class="note">${escapeHtml(n)}</p>`).join('\n')}
${sections}
${layers}
</body></html>
`;
}
