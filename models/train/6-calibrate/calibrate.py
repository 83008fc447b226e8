"""Stage 6 (calibrate): the shipped thresholds, chosen on the VALIDATION split only, from the PyTorch
fp32 scores of the shipped weights (stage 3's scores.jsonl). Per label: the logit at 1% and 0.1%
benign FPR (every benign validation source weighs the same), and `any_label`, the balanced preset's
default: one common per-label FPR at which 2% of benign validation text is flagged by some label.
With --replies, also thresholds for model replies (the output direction) at 1% of benign
validation replies. Test rows are not read; stage 7 measures the thresholds on them.

Usage: /usr/bin/python3 calibrate.py --scores SCORES_JSONL --out CALIBRATION_JSON [--replies]
"""
import argparse
import json

from metrics import calibrate, calibrate_output, load_scores


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--scores", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--replies", action="store_true")
    args = ap.parse_args()
    rows, y, z = load_scores(args.scores)
    th, val_sources = calibrate(rows, y, z)
    out = {"thresholds": th, "benign_sources_equally_weighted": val_sources}
    if args.replies:
        out["thresholds_output"] = calibrate_output(rows, y, z)
    with open(args.out, "w") as f:
        json.dump(out, f, indent=2)
        f.write("\n")
    summary = ", ".join(f"{label} {t['fpr_1pct']:.3f}" for label, t in th.items())
    print(f"calibrate: logit thresholds at 1% validation FPR: {summary}; {len(out.get('thresholds_output', {}))} reply thresholds -> {args.out}")


if __name__ == "__main__":
    main()
