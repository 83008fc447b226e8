"""Study (not a stage): two models' scores combined, each combination calibrated on VALIDATION as
the shipped models are (6-calibrate), then measured on the test split: the floor metrics and, per
test source at the `default` thresholds, benign rows flagged and attacks caught.

Usage: .venv/bin/python tools/ensemble-study.py <A scores.jsonl> <B scores.jsonl> [A name] [B name]
(the two files score the same rows in the same order: 5-measure's int8 scores, tools/score-rows.mjs)
"""
import sys

import numpy as np

sys.path.insert(0, __file__.rsplit("/", 2)[0] + "/lib")
from metrics import LABELS, calibrate, evaluate, load_scores, pct  # noqa: E402

FLOOR = {"injection": "recall_at_1pct_fpr", "jailbreak": "recall_at_1pct_fpr", "harmful": "recall_at_2pct_fpr", "toxic": "recall_at_2pct_fpr"}


def main():
    a_path, b_path = sys.argv[1:3]
    an, bn = (sys.argv[3:5] + ["A", "B"])[:2] if len(sys.argv) > 3 else ("A", "B")
    ra, ya, za = load_scores(a_path)
    rb, yb, zb = load_scores(b_path)
    assert [r["source"] for r in ra] == [r["source"] for r in rb] and (ya == yb).all()
    tha, _ = calibrate(ra, ya, za)
    thb, _ = calibrate(rb, yb, zb)
    ta = np.array([tha[l]["fpr_1pct"] for l in LABELS])
    tb = np.array([thb[l]["fpr_1pct"] for l in LABELS])
    pick = np.array([0, 0, 1, 1])  # injection, jailbreak from A; harmful, toxic from B
    designs = {
        f"{an} alone": za,
        f"{bn} alone": zb,
        "mean of logits": (za + zb) / 2,
        "max of margins over each model's 1% threshold": np.maximum(za - ta, zb - tb),
        f"per label: injection, jailbreak {an}; harmful, toxic {bn}": np.where(pick == 0, za, zb),
    }
    results = {}
    for name, z in designs.items():
        th, _ = calibrate(ra, ya, z)
        ev = evaluate(ra, ya, z, th)
        evd = evaluate(ra, ya, z, {l: {**th[l], "fpr_1pct": th[l]["any_label"]} for l in LABELS})
        results[name] = (ev, evd)
        print(f"{name}: " + ", ".join(f"{l} {pct(ev[l][FLOOR[l]])} (AUC {ev[l]['roc_auc']:.3f})" for l in LABELS)
              + f"; val mean recall@1% {np.mean([th[l]['val_recall_at_1pct'] for l in LABELS]):.3f}")
    names = list(results)
    print("\n| test source (default thresholds) | rows | " + " | ".join(names) + " |")
    print("| --- | --- |" + " --- |" * len(names))
    first = results[names[0]][1]
    for s, m in first["_benign_fpr_by_source"].items():
        print(f"| {s} (benign flagged) | {m['n']} | " + " | ".join(pct(results[n][1]["_benign_fpr_by_source"][s]["any_label"]) for n in names) + " |")
    for s, m in first["_attack_by_source"].items():
        print(f"| {s} (caught) | {m['n']} | " + " | ".join(pct(results[n][1]["_attack_by_source"][s]["any_label"]) for n in names) + " |")


if __name__ == "__main__":
    main()
