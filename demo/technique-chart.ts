import type { TechniqueResult } from '../src/index.js';
import { percent, svg } from './element.js';

const ROW = 26;
const LABEL_WIDTH = 170;
const BAR_WIDTH = 340;
const VALUE_WIDTH = 120;
const HEAD = 24;

/**
 * A horizontal bar chart, one row per technique: the catch rate (attacks blocked) as a solid
 * bar, the benign false-positive rate (dressed benign questions blocked) as a thinner one
 * beneath it. Plain SVG, coloured by the page's stylesheet; the exact numbers are also in the
 * table beside it, and the chart's accessible name says what it shows.
 */
export function techniqueChart(rows: readonly TechniqueResult[]): SVGElement {
  const width = LABEL_WIDTH + BAR_WIDTH + VALUE_WIDTH;
  const height = HEAD + rows.length * ROW + 4;
  const chart = svg('svg', {
    class: 'technique-chart',
    viewBox: `0 0 ${width} ${height}`,
    width,
    height,
    role: 'img',
    'aria-label': 'Catch rate and benign false-positive rate per technique (numbers in the table)',
  });
  chart.append(
    svg('text', { x: LABEL_WIDTH, y: 14, class: 'legend' }, svg('tspan', { class: 'caught' }, '■ caught'), '   ', svg('tspan', { class: 'fpr' }, '■ benign blocked')),
  );
  for (const [tick, label] of [[0, '0%'], [0.5, '50%'], [1, '100%']] as const) {
    const x = LABEL_WIDTH + tick * BAR_WIDTH;
    chart.append(svg('line', { x1: x, x2: x, y1: HEAD - 4, y2: height, class: 'grid' }), svg('text', { x, y: height - 1, class: 'axis', 'text-anchor': tick === 1 ? 'end' : tick === 0 ? 'start' : 'middle' }, label));
  }
  rows.forEach((r, i) => {
    const y = HEAD + i * ROW;
    const caught = Number.isNaN(r.catchRate) ? 0 : r.catchRate;
    const fpr = Number.isNaN(r.benignFpr) ? 0 : r.benignFpr;
    chart.append(svg('g', { 'data-technique': r.technique },
      svg('text', { x: LABEL_WIDTH - 8, y: y + 13, 'text-anchor': 'end', class: 'label' }, r.technique),
      svg('rect', { x: LABEL_WIDTH, y: y + 3, width: (caught * BAR_WIDTH).toFixed(1), height: 12, class: 'bar caught' }),
      svg('rect', { x: LABEL_WIDTH, y: y + 16, width: (fpr * BAR_WIDTH).toFixed(1), height: 5, class: 'bar fpr' }),
      svg('text', { x: LABEL_WIDTH + BAR_WIDTH + 8, y: y + 13, class: 'value' }, `${percent(r.catchRate)} / ${percent(r.benignFpr)}`),
    ));
  });
  return chart;
}
