"""Design comparison on the same leave-sources-out split (PyTorch fp32 scores, each variant
calibrated on its own validation scores). Prints a markdown table; run by compare.sh."""
import os
import sys

import metrics as R

work = sys.argv[1]
variants = [v for v in sys.argv[2:] if os.path.exists(os.path.join(work, v, "scores.jsonl"))]
print("| label | variant | ROC-AUC | recall @1% FPR | recall @2% FPR | recall @1% FPR hard benign | precision | recall | F1 | benign FPR | hard-benign FPR |")
print("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
evs = {}
for v in variants:
    rows, y, z = R.load_scores(os.path.join(work, v, "scores.jsonl"))
    th, _ = R.calibrate(rows, y, z)
    evs[v] = R.evaluate(rows, y, z, th)
for l in R.LABELS:
    for v in variants:
        m = evs[v][l]
        print(f"| {l} | {v} | {m['roc_auc']:.3f} | {R.pct(m['recall_at_1pct_fpr'])} | {R.pct(m['recall_at_2pct_fpr'])} | {R.pct(m['recall_at_1pct_fpr_hard_benign'])} | "
              f"{R.pct(m['precision'])} | {R.pct(m['recall'])} | {R.pct(m['f1'])} | {R.pct(m['benign_fpr'])} | {R.pct(m['hard_benign_fpr'])} |")
for v in variants:
    print(v, "hard-benign any-label FPR:", {s: R.pct(m["any_label"]) for s, m in evs[v]["_benign_fpr_by_source"].items() if s in R.HARD_BENIGN})
