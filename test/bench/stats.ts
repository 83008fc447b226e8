/** Latency summaries and ratios for the bench. Pure: unit-tested in test/unit/bench-stats.test.ts. */

/** The nearest-rank percentile (`p` in 0…100) of `values`; NaN for none. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))]!;
}

export interface LatencySummary {
  n: number;
  p50: number;
  p95: number;
  p99: number;
  mean: number;
}

export function summarize(ms: readonly number[]): LatencySummary {
  return {
    n: ms.length,
    p50: percentile(ms, 50),
    p95: percentile(ms, 95),
    p99: percentile(ms, 99),
    mean: ms.length ? ms.reduce((a, b) => a + b, 0) / ms.length : Number.NaN,
  };
}

/** "+12%" / "−3%": how much longer `ours` takes than `reference` (NaN-safe, for printing). */
export function overhead(ours: number, reference: number): string {
  if (!(reference > 0) || !Number.isFinite(ours)) return 'n/a';
  const pct = (ours / reference - 1) * 100;
  return `${pct >= 0 ? '+' : '−'}${Math.abs(pct).toFixed(0)}%`;
}

/** "3.2×": `a` over `b`, for printing. */
export function ratio(a: number, b: number): string {
  if (!(b > 0) || !Number.isFinite(a)) return 'n/a';
  const r = a / b;
  return `${r >= 100 ? r.toFixed(0) : r >= 10 ? r.toFixed(1) : r.toFixed(2)}×`;
}
