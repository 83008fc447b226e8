import type { LabelMetrics } from './metrics.js';
import type { RocPoint } from './roc.js';

/** One system's figures on one category. */
export interface SystemLabelResult {
  metrics: LabelMetrics;
  /** The ROC curve, thinned for drawing (see `thinCurve`). */
  roc: RocPoint[];
}

/** One system (ours, or a peer) on every category it claims. */
export interface SystemResult {
  name: string;
  kind: 'ours' | 'peer';
  /** How its output was mapped onto our categories. */
  note: string;
  /** Whether its scores are graded (ROC-AUC meaningful) or a few discrete levels. */
  graded: boolean;
  labels: Record<string, SystemLabelResult>;
}

/** Everything an eval run produced: what the terminal table, `--json` and `--html` show. */
export interface EvalReport {
  title: string;
  /** The run's settings, shown as a table: file, rows, model, backend, runtime, policy, date. */
  settings: Record<string, string | number>;
  /** Our model's categories, in order. */
  labels: string[];
  systems: SystemResult[];
  /** `--layers`: the guard's catch rate and benign block rate as layers are added. */
  layers?: { name: string; caught: number; benignBlocked: number }[];
  /**
   * Per source (a row's `source`, else its file's name) and label: rows, and the share the whole
   * guard blocked under the policy (for benign rows: false positives) and the model alone flagged
   * by any label at its shipped thresholds.
   */
  /** Per source; `reviewed`: the share of its texts a classifier second review re-scored (runs with one). */
  sources?: { source: string; label: string; rows: number; blocked: number; modelFlagged: number; reviewed?: number }[];
  notes: string[];
}
