/**
 * The shipped decision threshold for a label, from a model's `manifest.json`: the one calibrated
 * for 1% benign false positives when the manifest has it, else 0.5.
 */
export function shippedThreshold(manifest: Record<string, unknown>, label: string): { value: number; source: string } {
  const thresholds = manifest.thresholds as Record<string, unknown> | undefined;
  const entry = thresholds?.[label];
  if (typeof entry === 'number') return { value: entry, source: 'manifest' };
  if (entry && typeof entry === 'object') {
    const byFpr = entry as Record<string, unknown>;
    for (const key of ['default', 'shipped', 'fpr_1pct', 'fpr_0.01', '0.01', 'fpr1']) {
      if (typeof byFpr[key] === 'number') return { value: byFpr[key] as number, source: `manifest ${key}` };
    }
  }
  return { value: 0.5, source: 'default 0.5' };
}
