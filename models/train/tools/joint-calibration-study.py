"""Study (not a stage): two models as one guard, calibrated jointly. The guard flags a text when any
of its score columns passes its threshold: all four of model A's labels, and the labels named of
model B. One common per-column benign FPR is chosen on VALIDATION (lib/metrics.py's
any_label_thresholds, benign sources weighted as 6-calibrate weighs them) so that `budget` of benign validation text is flagged by some column: the
`default` rule of the shipped models, applied to the pair. Validation either as it is (`hn`) or
without the fourth pass's hard negatives (`nohn`, the kind guard-use-lite's shipped thresholds
were set on). The test split is then reported per source, with the hard negatives' validation rows,
in tools/per-source-study.py's table.

Usage: .venv/bin/python tools/joint-calibration-study.py A.jsonl B.jsonl B_LABEL[,B_LABEL] hn|nohn [budget=0.02]
"""
import importlib.util
import os
import sys

import numpy as np

here = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(here, "..", "lib"))
from metrics import LABELS, any_label_thresholds, benign_source_weights, load_scores  # noqa: E402

spec = importlib.util.spec_from_file_location("per_source_study", os.path.join(here, "per-source-study.py"))
study = importlib.util.module_from_spec(spec)
spec.loader.exec_module(study)


def joint_thresholds(rows, y, z, mode, budget):
    src = np.array([r["source"] for r in rows])
    benign = np.array([r["split"] == "val" for r in rows]) & (y.sum(1) == 0) & ~np.char.endswith(src.astype(str), ":reply")
    if mode == "nohn":
        benign &= ~np.isin(src, sorted(study.HARD_NEGATIVES))
    w, _ = benign_source_weights(list(src[benign]))
    f, union, t = any_label_thresholds(z[benign], w, budget)
    return f, (union, np.array(t))


def main():
    a_path, b_path, b_labels, mode = sys.argv[1:5]
    budget = float(sys.argv[5]) if len(sys.argv) > 5 else 0.02
    ra, ya, za = load_scores(a_path)
    rb, yb, zb = load_scores(b_path)
    if [r["source"] for r in ra] != [r["source"] for r in rb] or not (ya == yb).all():
        raise SystemExit("the two score files do not list the same rows")
    pick = [LABELS.index(l) for l in b_labels.split(",")]
    z = np.concatenate([za, zb[:, pick]], 1)
    f, (union, t) = joint_thresholds(ra, ya, z, mode, budget)
    print(f"per-column benign FPR {f:.4f}: {100 * union:.2f}% of benign validation prompts flagged ({mode}); "
          f"thresholds A {np.round(t[:4], 3).tolist()}, B {dict(zip(b_labels.split(','), np.round(t[4:], 3).tolist()))}")
    out = study.per_source(ra, ya, (z >= t).any(1))
    for k in sorted(out, key=lambda k: ("(validation)" in k, k)):
        print(f"| {k} | {out[k]:.1f} |")


if __name__ == "__main__":
    main()
