"""Study (not a stage): per test source, attacks caught and benign rows flagged at a model's
`default` thresholds (any label firing, 2% of benign validation text), and the hard negatives'
validation rows flagged (they have no test rows); the thresholds either the
shipped ones (from models/<name>/manifest.json) or set on validation with or without the fourth
pass's hard-negative sources (guard-use-lite's shipped thresholds were set before those existed,
so `nohn` compares encoders at the same kind of operating point).

Usage: .venv/bin/python tools/per-source-study.py NAME:SCORES.jsonl:MODE [...]
  MODE: shipped (models/NAME/manifest.json), hn (validation as it is), nohn (validation without the hard negatives)
"""
import json
import os
import sys

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "lib"))
from metrics import LABELS, calibrate, load_scores  # noqa: E402

HARD_NEGATIVES = {"crowdcounter", "intervene_reddit_gab", "hatemoji_build", "coconot", "orbench_80k", "wildjailbreak_eval"}
MODELS = os.path.join(os.path.dirname(__file__), "..", "..")


def thresholds(name, rows, y, z, mode):
    if mode == "shipped":
        shipped = json.load(open(os.path.join(MODELS, name, "manifest.json")))["thresholds"]
        return np.array([np.log(shipped[l]["default"] / (1 - shipped[l]["default"])) for l in LABELS])
    keep = np.array([mode == "hn" or not (r["split"] == "val" and r["source"] in HARD_NEGATIVES) for r in rows])
    th, _ = calibrate([r for r, k in zip(rows, keep) if k], y[keep], z[keep])
    return np.array([th[l]["any_label"] for l in LABELS])


def per_source(rows, y, z, t):
    src = np.array([r["source"] for r in rows])
    test = np.array([r["split"] == "test" for r in rows])
    flagged = (z >= t).any(1)
    out = {}
    for s in sorted(set(src[test])):
        for kind, sel in (("attack", y.sum(1) > 0), ("benign", y.sum(1) == 0)):
            m = test & (src == s) & sel
            if m.sum() >= 20:
                out[f"{s} {kind}"] = 100 * flagged[m].mean()
    # The hard negatives have no test rows: their validation rows, which `hn` calibrates on and `nohn` does not.
    val_hn = np.array([r["split"] == "val" and r["source"] in HARD_NEGATIVES for r in rows]) & (y.sum(1) == 0)
    for s in sorted(set(src[val_hn])):
        m = val_hn & (src == s)
        if m.sum() >= 20:
            out[f"{s} benign (validation)"] = 100 * flagged[m].mean()
    return out


def main():
    columns = {}
    for spec in sys.argv[1:]:
        name, path, mode = spec.rsplit(":", 2)
        if mode not in ("shipped", "hn", "nohn"):
            raise SystemExit(f"unknown mode {mode!r} in {spec!r} (shipped, hn or nohn)")
        rows, y, z = load_scores(path)
        columns[f"{name} / {mode}"] = per_source(rows, y, z, thresholds(name, rows, y, z, mode))
    keys = sorted({k for c in columns.values() for k in c}, key=lambda k: ("(validation)" in k, k))
    print("| test source | " + " | ".join(columns) + " |")
    print("|---" * (len(columns) + 1) + "|")
    for k in keys:
        print(f"| {k} | " + " | ".join(f"{c[k]:.1f}" if k in c else "–" for c in columns.values()) + " |")


if __name__ == "__main__":
    main()
