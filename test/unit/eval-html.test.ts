import { describe, expect, it } from 'vitest';
import { fromSvg, renderEvalHtml, toSvg } from '../../test/eval/eval-html.js';
import type { EvalReport } from '../../test/eval/eval-report.js';
import { labelMetrics } from '../../test/eval/metrics.js';
import { rocPoints } from '../../test/eval/roc.js';

const ours = { positives: [0.95, 0.9, 0.6, 0.2], negatives: [0.1, 0.3, 0.05, 0.7] };
const peer = { positives: [0.9, 0.9, 0.1, 0.1], negatives: [0.9, 0.1, 0.1, 0.1] };

function report(): EvalReport {
  const result = (s: { positives: number[]; negatives: number[] }, threshold: number) => ({
    metrics: labelMetrics('injection', s.positives, s.negatives, threshold),
    roc: rocPoints(s.positives, s.negatives),
  });
  return {
    title: 'test <report>',
    settings: { files: 'a.jsonl', rows: 8, runtime: 'node' },
    labels: ['injection', 'toxic'],
    systems: [
      { name: 'ours', kind: 'ours', note: 'model', graded: true, labels: { injection: result(ours, 0.5), toxic: result(ours, 0.5) } },
      { name: 'peer', kind: 'peer', note: 'injection only', graded: false, labels: { injection: result(peer, 0.7) } },
    ],
    notes: ['a note'],
  };
}

/** Every ROC polyline in the page: system, category, axis range, and its points read back as (fpr, tpr). */
function curves(html: string) {
  return [...html.matchAll(/<polyline class="roc" data-system="([^"]*)" data-label="([^"]*)" data-max-fpr="([^"]*)" points="([^"]*)"/g)].map((m) => ({
    system: m[1], label: m[2], maxFpr: Number(m[3]),
    points: m[4]!.split(' ').map((xy) => fromSvg(xy.split(',').map(Number) as [number, number], Number(m[3]))),
  }));
}

describe('renderEvalHtml', () => {
  const html = renderEvalHtml(report());

  it('draws each system\'s ROC curve on the same axes per category, full range and low-FPR zoom', () => {
    const injection = curves(html).filter((c) => c.label === 'injection');
    expect(injection.map((c) => [c.system, c.maxFpr])).toEqual([['ours', 1], ['peer', 1], ['ours', 0.1], ['peer', 0.1]]);
    // The full-range curve is the ROC data itself, to the SVG's rounding.
    for (const [system, scores] of [['ours', ours], ['peer', peer]] as const) {
      const drawn = injection.find((c) => c.system === system && c.maxFpr === 1)!.points;
      const expected = rocPoints(scores.positives, scores.negatives);
      expect(drawn).toHaveLength(expected.length);
      drawn.forEach((p, i) => {
        expect(p.fpr).toBeCloseTo(expected[i]!.fpr, 2);
        expect(p.tpr).toBeCloseTo(expected[i]!.tpr, 2);
      });
    }
  });

  it('cuts the zoomed curve where it crosses its FPR limit', () => {
    const zoom = curves(html).find((c) => c.system === 'peer' && c.maxFpr === 0.1)!.points;
    expect(zoom.every((p) => p.fpr <= 0.1 + 1e-9)).toBe(true);
    // peer's tie at 0.9 is one step from (0, 0) to (0.25, 0.5): the cut at FPR 0.1 lies 40% along it.
    expect(zoom).toHaveLength(2);
    expect(zoom.at(-1)!.fpr).toBeCloseTo(0.1, 2);
    expect(zoom.at(-1)!.tpr).toBeCloseTo(0.2, 2);
  });

  it('leaves a peer out of a category it does not claim, and says so', () => {
    expect(curves(html).filter((c) => c.label === 'toxic').map((c) => c.system)).toEqual(['ours', 'ours']);
    expect(html).toContain('Not compared here (they claim no such category): peer.');
  });

  it('shows the settings, the metrics and escapes text', () => {
    expect(html).toContain('<th>runtime</th><td>node</td>');
    expect(html).toContain('test &#60;report&#62;');
    expect(html).not.toContain('<script');
    // ours on injection at 0.5: 3 of 4 positives, 1 of 4 benign flagged.
    expect(html).toContain('<td>75.0%</td><td>75.0%</td><td>75.0%</td>');
  });

  it('maps chart coordinates both ways', () => {
    for (const p of [{ fpr: 0, tpr: 0 }, { fpr: 0.05, tpr: 0.4 }, { fpr: 0.1, tpr: 1 }]) {
      const back = fromSvg(toSvg(p, 0.1), 0.1);
      expect(back.fpr).toBeCloseTo(p.fpr, 3);
      expect(back.tpr).toBeCloseTo(p.tpr, 3);
    }
  });
});
