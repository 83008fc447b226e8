"""Before/after table of two guard-bert-mini work folders (same split), e.g. the model without and with the
framed benign augmentation. Each run is calibrated on its own validation scores (fp32, as the
shipped thresholds are) and evaluated on the test split with its int8 scores (as the card is).

Usage: PYTHONPATH=models/train/lib /usr/bin/python3 models/train/tools/compare_runs.py OLD_WORK NEW_WORK [--names old new]
Each work folder needs aug/scores.jsonl, aug/scores_int8.jsonl and aug/framed_int8.jsonl
(5-measure/measure.mjs writes the last; for a model built before it existed, score work/framed_eval.jsonl
with 5-measure/score-bert-framed.mjs and put the output there).
"""
import argparse
import os

import numpy as np

from metrics import LABELS, HARD_BENIGN, calibrate, evaluate, framed_benign, load_scores


def summarize(work):
    rows, y, z = load_scores(os.path.join(work, "aug", "scores.jsonl"))
    th, _ = calibrate(rows, y, z)
    r8, y8, z8 = load_scores(os.path.join(work, "aug", "scores_int8.jsonl"))
    ev = evaluate(r8, y8, z8, th)
    out = {"val_recall": {l: th[l]["val_recall_at_1pct"] for l in LABELS}}
    out["val_mean"] = float(np.mean(list(out["val_recall"].values())))
    for l in LABELS:
        m = ev[l]
        out[l] = {"floor": m["recall_at_2pct_fpr" if l == "harmful" else "recall_at_1pct_fpr"], "auc": m["roc_auc"],
                  "recall_default": m["recall"], "benign_fpr_default": m["benign_fpr"]}
    out["hard"] = {s: m["any_label"] for s, m in ev["_benign_fpr_by_source"].items() if s in HARD_BENIGN}
    out["framed"] = framed_benign(os.path.join(work, "aug", "framed_int8.jsonl"), th)
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("old")
    ap.add_argument("new")
    ap.add_argument("--names", nargs=2, default=["old", "new"])
    a = ap.parse_args()
    o, n = summarize(a.old), summarize(a.new)
    p = lambda x: f"{100 * x:.1f}%"
    d = lambda x, y: f"{100 * (y - x):+.1f}"
    A, B = a.names
    print(f"| metric | {A} | {B} | change (points) |\n| --- | --- | --- | --- |")
    for l in LABELS:
        print(f"| validation recall @ val 1% thr: {l} | {p(o['val_recall'][l])} | {p(n['val_recall'][l])} | {d(o['val_recall'][l], n['val_recall'][l])} |")
    print(f"| **validation mean recall @ val 1% thr** | {p(o['val_mean'])} | {p(n['val_mean'])} | {d(o['val_mean'], n['val_mean'])} |")
    for l in LABELS:
        name = "recall @2% test-benign FPR" if l == "harmful" else "recall @1% test-benign FPR"
        print(f"| test {l}: {name} (int8) | {p(o[l]['floor'])} | {p(n[l]['floor'])} | {d(o[l]['floor'], n[l]['floor'])} |")
    for l in LABELS:
        print(f"| test {l} ROC-AUC (int8) | {o[l]['auc']:.3f} | {n[l]['auc']:.3f} | {n[l]['auc'] - o[l]['auc']:+.3f} |")
    for l in LABELS:
        print(f"| test {l}: recall / benign FPR at shipped threshold | {p(o[l]['recall_default'])} / {p(o[l]['benign_fpr_default'])} | "
              f"{p(n[l]['recall_default'])} / {p(n[l]['benign_fpr_default'])} | {d(o[l]['recall_default'], n[l]['recall_default'])} / {d(o[l]['benign_fpr_default'], n[l]['benign_fpr_default'])} |")
    for s in o["hard"]:
        print(f"| test hard benign {s}: flagged, any label | {p(o['hard'][s])} | {p(n['hard'][s])} | {d(o['hard'][s], n['hard'][s])} |")
    fo, fn = o["framed"], n["framed"]
    for key, name in [("any_label_at_fpr_1pct", "default (1%) thresholds"), ("any_label_at_fpr_0_1pct", "0.1% thresholds")]:
        print(f"| **framed benign ({fo['rows']} rows) flagged, any label, {name}** | {p(fo[key])} | {p(fn[key])} | {d(fo[key], fn[key])} |")


if __name__ == "__main__":
    main()
