import { describe, expect, it } from 'vitest';
import type { RedTeamReport, TechniqueResult } from '../../src/redteam/runner.js';
import { BARS, renderRedTeamHtml, techniqueChart, worstFirst } from '../../test/redteam/redteam-html.js';

const row = (technique: string, caught: number, attacks: number, benignBlocked: number, benign: number): TechniqueResult => ({
  technique, family: 'f', attacks, caught, catchRate: attacks ? caught / attacks : Number.NaN, benign, benignBlocked, benignFpr: benign ? benignBlocked / benign : Number.NaN,
  caughtAsWritten: attacks, keptCatches: caught, keptShare: attacks ? caught / attacks : Number.NaN, benignBlockedAsWritten: 0,
});
const techniques = [row('base64', 18, 20, 2, 20), row('screenplay', 5, 20, 12, 20), row('direct', 13, 20, 0, 20), row('leetspeak', 5, 20, 1, 20)];
const report: RedTeamReport = {
  techniques,
  categories: [{ category: 'Illegal Activity', attacks: 50, caught: 30, catchRate: 0.6 }, { category: 'Hate <Speech>', attacks: 30, caught: 12, catchRate: 0.4 }],
  overall: { attacks: 80, caught: 42, catchRate: 42 / 80, benign: 80, benignBlocked: 16, benignFpr: 16 / 80 },
  cases: [],
};

/** Bars read back from the SVG: technique, kind, rate and drawn width. */
const bars = (svg: string) => [...svg.matchAll(/<rect data-technique="([^"]*)" data-kind="([^"]*)" data-rate="([^"]*)" x="[^"]*" y="[^"]*" width="([^"]*)"/g)]
  .map((m) => ({ technique: m[1], kind: m[2], rate: Number(m[3]), width: Number(m[4]) }));

describe('red-team HTML report', () => {
  it('orders techniques worst first: lowest catch rate, then highest benign FPR', () => {
    expect(worstFirst(techniques).map((t) => t.technique)).toEqual(['screenplay', 'leetspeak', 'direct', 'base64']);
  });

  it('draws a caught bar and a benign-blocked bar per technique, as long as its rate', () => {
    const drawn = bars(techniqueChart(techniques));
    expect(drawn).toHaveLength(2 * techniques.length);
    for (const t of techniques) {
      const caught = drawn.find((b) => b.technique === t.technique && b.kind === 'caught')!;
      const benign = drawn.find((b) => b.technique === t.technique && b.kind === 'benign-blocked')!;
      expect(caught.rate).toBeCloseTo(t.catchRate, 12);
      expect(benign.rate).toBeCloseTo(t.benignFpr, 12);
      expect(caught.width).toBeCloseTo(t.catchRate * BARS.barWidth, 1);
    }
  });

  it('draws an empty bar for a technique with no cases of a kind', () => {
    const drawn = bars(techniqueChart([row('audit-log', 3, 4, 0, 0)]));
    expect(drawn.find((b) => b.kind === 'benign-blocked')).toMatchObject({ width: 0 });
  });

  it('is one self-contained page with the settings, the overall figures and the table', () => {
    const html = renderRedTeamHtml(report, 'red team <x>', { seeds: 'forbidden_questions.jsonl', runtime: 'node' });
    expect(html).toContain('<svg');
    expect(html).not.toMatch(/<script|<link|src="http/);
    expect(html).toContain('red team &#60;x&#62;');
    expect(html).toContain('<th>runtime</th><td>node</td>');
    expect(html).toContain('caught 52.5% of 80 attacks; blocked 20.0% of 80 benign');
    expect(html).toContain('<tr><th>screenplay</th><td>f</td><td>25.0%</td><td>5/20</td><td>25.0%</td><td>5/20</td><td>60.0%</td><td>12/20 (0 as written)</td></tr>');
  });

  it('lists seed categories worst first, their names escaped', () => {
    const html = renderRedTeamHtml(report, 't', {});
    const hate = html.indexOf('Hate &#60;Speech&#62;');
    expect(hate).toBeGreaterThan(0);
    expect(html.indexOf('Illegal Activity')).toBeGreaterThan(hate);
    expect(html).toContain('12/30');
  });
});
