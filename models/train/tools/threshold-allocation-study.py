"""Study (not a stage): how the `default` thresholds share the 2% benign budget between the labels.

6-calibrate gives every label the same per-label benign FPR (lib/metrics.py any_label_thresholds).
A label whose attacks sit just above its benign tail gains a lot of recall from a little more FPR;
another gains nothing. Here the budget is spent greedily instead: from a strict start, each step
lowers the one label's threshold that catches the most validation attacks (every attack source
weighing the same; an attack counts once, whichever label catches it) per unit of benign validation
text newly flagged by any label, until `budget` of benign validation text is flagged. VALIDATION
only, benign sources weighted as 6-calibrate weighs them, with or without the fourth pass's hard
negatives (`nohn` is how guard-use-lite's shipped thresholds were set). Then per test source, next to
the shipped and the equal-FPR thresholds, in tools/per-source-study.py's table.

Usage: .venv/bin/python tools/threshold-allocation-study.py NAME SCORES.jsonl hn|nohn [budget=0.02]
"""
import importlib.util
import json
import os
import sys

import numpy as np

here = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(here, "..", "lib"))
from metrics import LABELS, any_label_thresholds, benign_source_weights, load_scores, sigmoid, threshold_at_fpr  # noqa: E402

spec = importlib.util.spec_from_file_location("per_source_study", os.path.join(here, "per-source-study.py"))
study = importlib.util.module_from_spec(spec)
spec.loader.exec_module(study)

# Each label's candidate thresholds: the ones at these per-label benign FPRs.
GRID = np.concatenate([np.linspace(0.0, 0.002, 11), np.linspace(0.0025, 0.03, 56)])


def validation_sets(rows, y, mode):
    src = np.array([r["source"] for r in rows])
    val = np.array([r["split"] == "val" for r in rows]) & ~np.char.endswith(src.astype(str), ":reply")
    benign = val & (y.sum(1) == 0)
    if mode == "nohn":
        benign &= ~np.isin(src, sorted(study.HARD_NEGATIVES))
    attack = val & (y.sum(1) > 0)
    w_benign, _ = benign_source_weights(list(src[benign]))
    names = list(src[attack])
    w_attack = np.array([1.0 / names.count(s) for s in names]) / len(set(names))
    return benign, w_benign / w_benign.sum(), attack, w_attack


def allocate(zb, wb, za, wa, budget):
    """Greedy: per step, the label move with the most attack weight caught per benign weight added."""
    grids = [np.array([threshold_at_fpr(zb[:, k], f, wb) for f in GRID]) for k in range(zb.shape[1])]
    at = [0] * zb.shape[1]
    t = np.array([g[0] for g in grids])
    while True:
        union_b = float(wb @ (zb >= t).any(1))
        caught = float(wa @ (za >= t).any(1))
        best = None
        for k in range(zb.shape[1]):
            if at[k] + 1 >= len(grids[k]):
                continue
            trial = t.copy()
            trial[k] = grids[k][at[k] + 1]
            b = float(wb @ (zb >= trial).any(1))
            if b > budget:
                continue
            gain = float(wa @ (za >= trial).any(1)) - caught
            ratio = gain / max(b - union_b, 1e-9)
            if best is None or ratio > best[0]:
                best = (ratio, k, trial)
        if best is None:
            return t, union_b, caught
        _, k, t = best
        at[k] += 1


def main():
    name, path, mode = sys.argv[1:4]
    budget = float(sys.argv[4]) if len(sys.argv) > 4 else 0.02
    rows, y, z = load_scores(path)
    benign, wb, attack, wa = validation_sets(rows, y, mode)
    _, union_eq, t_eq = any_label_thresholds(z[benign], wb, budget)
    t_eq = np.array(t_eq)
    t_al, union_al, caught_al = allocate(z[benign], wb, z[attack], wa, budget)
    shipped = json.load(open(os.path.join(study.MODELS, name, "manifest.json")))["thresholds"]
    t_sh = np.array([np.log(shipped[l]["default"] / (1 - shipped[l]["default"])) for l in LABELS])
    for title, t in (("shipped", t_sh), (f"equal FPR ({mode})", t_eq), (f"allocated ({mode})", t_al)):
        per_fpr = [float(wb @ (z[benign][:, k] >= t[k])) for k in range(len(LABELS))]
        print(f"{title}: probabilities {dict(zip(LABELS, np.round(sigmoid(t), 3).tolist()))}; per-label benign FPR "
              f"{dict(zip(LABELS, np.round(100 * np.array(per_fpr), 2).tolist()))}%; benign validation flagged "
              f"{100 * float(wb @ (z[benign] >= t).any(1)):.2f}%; attacks caught (sources equal) {100 * float(wa @ (z[attack] >= t).any(1)):.1f}%")
    columns = {title: study.per_source(rows, y, (z >= t).any(1)) for title, t in (("shipped", t_sh), ("equal FPR", t_eq), ("allocated", t_al))}
    study.print_table(columns)
    print(json.dumps({"allocated_logits": dict(zip(LABELS, t_al.tolist())), "allocated_probabilities": dict(zip(LABELS, sigmoid(t_al).tolist()))}))


if __name__ == "__main__":
    main()
