"""Study (not a stage): per test source, attacks caught and benign rows flagged at a model's
`default` thresholds (any label firing, 2% of benign validation text), and the hard negatives'
validation rows flagged (they have no test rows); the thresholds either the
shipped ones (from models/<name>/manifest.json) or set on validation with or without the fourth
pass's hard-negative sources (guard-use-lite's shipped thresholds were set before those existed,
so `nohn` compares encoders at the same kind of operating point).

A column may join models: `A+B` flags a text when either part does (each at its own thresholds), and
a part may keep only some labels, so `guard-minilm:M.jsonl:shipped+guard-use-lite:U.jsonl:shipped:harmful,toxic`
is "guard-minilm, plus guard-use-lite's harmful and toxic flags" (the score files must list the same
rows in the same order: 5-measure's int8 scores, tools/score-rows.mjs).

Usage: .venv/bin/python tools/per-source-study.py NAME:SCORES.jsonl:MODE[:LABEL,LABEL][+...] [...]
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


def flags(part):
    """One part of a column: which rows it flags, with the rows and labels it read, and its title."""
    name, path, mode, *only = part.split(":")
    if mode not in ("shipped", "hn", "nohn"):
        raise SystemExit(f"unknown mode {mode!r} in {part!r} (shipped, hn or nohn)")
    keep = [LABELS.index(l) for l in only[0].split(",")] if only else list(range(len(LABELS)))
    rows, y, z = load_scores(path)
    t = thresholds(name, rows, y, z, mode)
    return rows, y, (z >= t)[:, keep].any(1), f"{name} / {mode}" + (f" ({only[0]})" if only else "")


def per_source(rows, y, flagged):
    src = np.array([r["source"] for r in rows])
    test = np.array([r["split"] == "test" for r in rows])
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
        parts = [flags(p) for p in spec.split("+")]
        rows, y, flagged, _ = parts[0]
        for other_rows, other_y, other_flagged, _ in parts[1:]:
            if [r["source"] for r in other_rows] != [r["source"] for r in rows] or not (other_y == y).all():
                raise SystemExit(f"{spec!r}: the score files do not list the same rows")
            flagged = flagged | other_flagged
        columns[" + ".join(title for *_, title in parts)] = per_source(rows, y, flagged)
    print_table(columns)


def print_table(columns):
    """Columns of per_source() side by side, a row per test source (the hard negatives' validation rows last)."""
    keys = sorted({k for c in columns.values() for k in c}, key=lambda k: ("(validation)" in k, k))
    print("| test source | " + " | ".join(columns) + " |")
    print("|---" * (len(columns) + 1) + "|")
    for k in keys:
        print(f"| {k} | " + " | ".join(f"{c[k]:.1f}" if k in c else "–" for c in columns.values()) + " |")


if __name__ == "__main__":
    main()
