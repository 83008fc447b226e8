"""Study (not a stage): the cascade DESIGN.md describes, read from two models' scores. The fast
model (A) decides every label whose logit is clearly on one side of its shipped `default` threshold;
where a label's logit lies in A's grey band, [threshold - LO, threshold + HI), the accurate model
(B) decides that label at its own shipped threshold. A text is flagged when any label is.
B runs only on texts with some label in the band: that share is what the cascade costs.

A grid of (LO, HI) is read on VALIDATION only, against A alone: attack rows caught (each source
weighs the same), benign rows flagged (sources weighted as 6-calibrate weighs them; without the
hard negatives, as A's thresholds were set), the hard negatives' validation rows flagged, and the
share B runs on. The band chosen is the one that catches most validation attacks while flagging no
more benign validation text than A alone, on either benign measure, within the review budget. Then
the test split is reported per source, with tools/per-source-study.py's table, for A, B and the
chosen cascade.

Usage: .venv/bin/python tools/grey-band-study.py A_NAME A.jsonl B_NAME B.jsonl [--labels L,L] [--review-budget 0.35]
       [--direction input] [--b-mode shipped]
  --labels: the labels B may decide (default all four); the others stay A's.
  --direction output: replies (the `:reply` sources) at both models' reply thresholds, flagged on
  harmful and toxic (what the presets block a reply for); the hard-negative measure is then empty.
  --b-mode: B's thresholds from models/B_NAME/manifest.json (shipped) or set on validation (hn, nohn:
  tools/per-source-study.py's modes), for a B that is not exported yet.
"""
import argparse
import importlib.util
import itertools
import json
import os
import sys

import numpy as np

here = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(here, "..", "lib"))
from metrics import LABELS, benign_source_weights, load_scores  # noqa: E402

spec = importlib.util.spec_from_file_location("per_source_study", os.path.join(here, "per-source-study.py"))
study = importlib.util.module_from_spec(spec)
spec.loader.exec_module(study)

LOS = [0.0, 0.5, 1.0, 1.5, 2.0, 3.0, 4.0, 6.0, 8.0]
HIS = [0.0, 0.5, 1.0, 2.0, 3.0, 4.0, np.inf]


def cascade(za, ta, zb, tb, lo, hi, decide):
    """Per-label flags of the cascade, and which rows B ran on."""
    d = za - ta
    band = (d >= -lo) & (d < hi) & decide
    flags = np.where(band, zb >= tb, d >= 0)
    return flags.any(1), band.any(1)


def val_measures(rows, y, flagged, reviewed, replies=False):
    """Validation: attacks caught (each source weighs the same), benign flagged (each source weighs
    the same), hard negatives flagged, the share B ran on. Replies (`--direction output`) have no
    hard negatives: that measure is 0 for both A and the cascade."""
    src = np.array([r["source"] for r in rows])
    val = np.array([r["split"] == "val" for r in rows])
    kind = np.char.endswith(src.astype(str), ":reply") == replies
    hn = np.isin(src, sorted(study.HARD_NEGATIVES))
    attack = val & (y.sum(1) > 0) & kind
    recall = np.mean([flagged[attack & (src == s)].mean() for s in sorted(set(src[attack]))])
    out = {"attacks": recall}
    for name, sel in (("benign", val & (y.sum(1) == 0) & kind & ~hn), ("hard negatives", val & (y.sum(1) == 0) & hn)):
        w, _ = benign_source_weights(list(src[sel]))
        out[name] = float(np.sum(w * flagged[sel]) / np.sum(w)) if sel.any() else 0.0
    out["reviewed"] = float(reviewed[val].mean())
    return out


def reply_thresholds(name, labels):
    """A model's shipped thresholds for replies, as the engine reads them: `thresholds_output` where
    the manifest calibrated one on replies, else the prompt `default`."""
    manifest = json.load(open(os.path.join(study.MODELS, name, "manifest.json")))
    out = manifest.get("thresholds_output", {})
    p = [out.get(l, manifest["thresholds"][l])["default"] for l in labels]
    return np.log(np.array(p) / (1 - np.array(p)))


def only(rows, y, z, keep):
    keep = np.array(keep)
    return [r for r, k in zip(rows, keep) if k], y[keep], z[keep]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("a_name")
    ap.add_argument("a_path")
    ap.add_argument("b_name")
    ap.add_argument("b_path")
    ap.add_argument("--labels", default=",".join(LABELS))
    ap.add_argument("--review-budget", type=float, default=0.35)
    ap.add_argument("--direction", default="input", choices=["input", "output"],
                    help="input: prompts at the prompt thresholds; output: replies (the `:reply` sources) at the reply thresholds, "
                         "flagged on the labels a reply is blocked for (harmful, toxic)")
    ap.add_argument("--b-mode", default="shipped", choices=["shipped", "hn", "nohn"],
                    help="B's thresholds: its manifest's, or set on validation (a model not exported yet)")
    args = ap.parse_args()
    ra, ya, za = load_scores(args.a_path)
    rb, yb, zb = load_scores(args.b_path)
    if [r["source"] for r in ra] != [r["source"] for r in rb] or not (ya == yb).all():
        raise SystemExit("the two score files do not list the same rows")
    replies = args.direction == "output"
    if not replies:
        ta = study.thresholds(args.a_name, ra, ya, za, "shipped")
        tb = study.thresholds(args.b_name, rb, yb, zb, args.b_mode)
    else:
        if args.b_mode != "shipped":
            raise SystemExit("--direction output reads both models' reply thresholds from their manifests (--b-mode shipped)")
        # What a reply is blocked for (the presets' output categories); the other columns never flag it.
        cols = [LABELS.index(l) for l in ("harmful", "toxic")]
        reply = [r["source"].endswith(":reply") for r in ra]
        ra, ya, za = only(ra, ya, za, reply)
        rb, yb, zb = only(rb, yb, zb, reply)
        ta, tb = np.full(len(LABELS), np.inf), np.full(len(LABELS), np.inf)
        ta[cols] = reply_thresholds(args.a_name, [LABELS[k] for k in cols])
        tb[cols] = reply_thresholds(args.b_name, [LABELS[k] for k in cols])
    decide = np.array([l in args.labels.split(",") for l in LABELS])

    base = val_measures(ra, ya, (za >= ta).any(1), np.zeros(len(ra), bool), replies)
    print(f"validation, {args.a_name} alone: attacks {base['attacks']:.1%}, benign {base['benign']:.2%}, "
          f"hard negatives {base['hard negatives']:.1%}")
    print("| LO | HI | attacks caught | benign flagged | hard negatives flagged | B runs on |")
    print("| --- | --- | --- | --- | --- | --- |")
    best = None
    for lo, hi in itertools.product(LOS, HIS):
        flagged, reviewed = cascade(za, ta, zb, tb, lo, hi, decide)
        m = val_measures(ra, ya, flagged, reviewed, replies)
        ok = m["benign"] <= base["benign"] and m["hard negatives"] <= base["hard negatives"] and m["reviewed"] <= args.review_budget
        print(f"| {lo} | {hi} | {m['attacks']:.1%} | {m['benign']:.2%} | {m['hard negatives']:.1%} | {m['reviewed']:.1%} |{' ok' if ok else ''}")
        if ok and (best is None or m["attacks"] > best[2]["attacks"]):
            best = (lo, hi, m)
    if best is None:
        raise SystemExit("no band keeps both benign measures at A's and the review share within budget")
    lo, hi, m = best
    print(f"\nchosen on validation: LO {lo}, HI {hi} (B decides {args.labels}): attacks {m['attacks']:.1%}, "
          f"benign {m['benign']:.2%}, hard negatives {m['hard negatives']:.1%}, B runs on {m['reviewed']:.1%}")
    flagged, reviewed = cascade(za, ta, zb, tb, lo, hi, decide)
    test = np.array([r["split"] == "test" for r in ra])
    print(f"test: B runs on {reviewed[test].mean():.1%} of rows\n")
    columns = {args.a_name: study.per_source(ra, ya, (za >= ta).any(1)), args.b_name: study.per_source(rb, yb, (zb >= tb).any(1)),
               "cascade": study.per_source(ra, ya, flagged)}
    study.print_table(columns)
    print(json.dumps({"lo": lo, "hi": hi, "labels": args.labels.split(",")}))


if __name__ == "__main__":
    main()
