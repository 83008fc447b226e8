"""Stage 6 (calibrate): fits a model's window-count penalty for long texts.

    /usr/bin/python3 models/train/6-calibrate/window_penalty.py <calibration.json> <windowed.jsonl> <out.json>

<calibration.json> is calibrate.py's output (the shipped thresholds); <windowed.jsonl> is
`5-measure/score-windows.ts` output for the model's val/test rows (engine windows, no fine
pass, no penalty). The engine scores a long text as the maximum over its windows, but the thresholds
were calibrated on single prompts, one window each: a text of n windows gets n tries at them, and
long benign documents are flagged several times as often as short prompts. `src/inference/windows.ts`
(`textLogits`) therefore subtracts c * ln(n) from each label's maximum window logit, c per label from
the manifest's `window_penalty`.

c = lambda * beta. beta is the slope of the benign validation logits' upper tail, taken between their
3% and 0.3% exceedance quantiles (an exponential tail P(z > t) ~ exp(-t / beta) makes the maximum of n
independent windows exceed t about n times as often; subtracting beta * ln n undoes that). Overlapping
windows of one text are not independent, so beta * ln n over-corrects: lambda is the largest value in
LAMBDAS whose validation mean recall at the shipped thresholds is at most RECALL_SLACK below lambda = 0's
(rule fixed 2026-11-30 before the validation numbers that pick lambda were computed; an exploration had
seen test numbers at lambda 0, 0.5 and 1). Only validation rows choose anything; the test rows are
measured and reported.

Writes <out.json>: `manifest`, the manifest's `window_penalty` entry, and `card_section`, the model
card's section; stage 7 puts both in (insert_section, between markers, replaced on a re-run).
"""
import json
import math
import os
import sys

import numpy as np

from metrics import LABELS, pct, sigmoid
LAMBDAS = [0.0, 0.25, 0.5, 0.75, 1.0]
RECALL_SLACK = 0.005
TAIL = (0.03, 0.003)
START, END = "<!-- window-penalty: start (models/train/6-calibrate/window_penalty.py) -->", "<!-- window-penalty: end -->"


def logit(p):
    return math.log(p / (1 - p))


def exceed_quantile(z, p):
    """The value a fraction p of z lies above."""
    return float(np.quantile(z, 1 - p))


def load(path):
    rows = [json.loads(line) for line in open(path) if line.strip()]
    for r in rows:
        r["z"] = np.array(r["logits"], dtype=float)
        r["ln_n"] = math.log(r["main_windows"])
        r["benign"] = sum(r["y"]) == 0
    return rows


def penalized(rows, c):
    return np.array([r["z"] - c * r["ln_n"] for r in rows])


def measure(rows, thr, c):
    """Per label: recall and benign FPR at the thresholds, recall at 1% (harmful 2%) FPR on these benign rows; long benign flagged."""
    z = penalized(rows, c)
    y = np.array([r["y"] for r in rows], dtype=bool)
    benign = np.array([r["benign"] for r in rows])
    long_benign = benign & np.array([r["main_windows"] > 1 for r in rows])
    fired = z >= thr
    out = {"labels": {}}
    for k, label in enumerate(LABELS):
        pos = y[:, k]
        b = np.sort(z[benign, k])[::-1]
        at = 0.02 if label == "harmful" else 0.01
        floor_thr = b[int(at * len(b))]
        out["labels"][label] = {
            "positives": int(pos.sum()),
            "recall": float(fired[pos, k].mean()),
            "benign_fpr": float(fired[benign, k].mean()),
            "recall_at_fpr": float((z[pos, k] > floor_thr).mean()),
            "fpr_for_floor": at,
        }
    out["mean_recall"] = float(np.mean([v["recall"] for v in out["labels"].values()]))
    out["long_benign"] = int(long_benign.sum())
    out["long_benign_flagged"] = float(fired[long_benign].any(axis=1).mean()) if long_benign.any() else float("nan")
    out["benign_flagged"] = float(fired[benign].any(axis=1).mean())
    return out


def card_section(beta, lam, c, runs, val_by_lambda, windows_file):
    val0, val1 = runs["val"]
    test0, test1 = runs["test"]
    L = []
    A = L.append
    A(START)
    A("## Long texts: window-count penalty")
    A("")
    A("The engine screens a text longer than one window (128 tokens sharing 32) as the highest score over its windows, but the "
      "thresholds are calibrated on single prompts: a text of n windows gets n tries at them. The engine therefore lowers each "
      "label's highest window logit by c · ln(n) (`textLogits` in `src/inference/windows.ts`; a guard turns it off with "
      "`window: { countPenalty: false }`). c = λ·β: β is the slope of the benign validation logits' upper tail (between their "
      "3% and 0.3% exceedance quantiles), λ the largest of 0, 0.25, 0.5, 0.75, 1 whose validation mean recall at the shipped "
      f"thresholds stays within {100 * RECALL_SLACK:.1f} points of λ = 0's (rule fixed before the validation numbers that pick λ were "
      "computed; an exploration had seen test numbers at λ = 0, 0.5 and 1). "
      f"Fitted by `models/train/6-calibrate/window_penalty.py` on `{windows_file}` (val/test scored the engine's way by `5-measure/score-windows.ts`, "
      "int8, no fine pass).")
    A("")
    A("| label | β (logits) | c = λ·β, shipped |")
    A("| --- | --- | --- |")
    for k, label in enumerate(LABELS):
        A(f"| {label} | {beta[k]:.3f} | {c[k]:.3f} |")
    A("")
    A("The rule's evidence, validation split at the shipped thresholds:")
    A("")
    A("| λ | mean recall (4 labels) | benign texts of 2+ windows flagged by some label |")
    A("| --- | --- | --- |")
    for l, v in val_by_lambda:
        mark = " (chosen)" if l == lam else ""
        A(f"| {l:g}{mark} | {100 * v['mean_recall']:.2f}% | {pct(v['long_benign_flagged'])} |")
    A("")
    A("Without → with the penalty, shipped thresholds (recall @x% FPR: threshold on that split's own benign rows, 1%, harmful 2%):")
    A("")
    A("| split | label | recall | benign FPR | recall @x% FPR |")
    A("| --- | --- | --- | --- | --- |")
    for split, (a, b) in (("validation", (val0, val1)), ("test", (test0, test1))):
        for label in LABELS:
            x, y = a["labels"][label], b["labels"][label]
            A(f"| {split} | {label} ({x['positives']}) | {pct(x['recall'])} → {pct(y['recall'])} | {pct(x['benign_fpr'])} → {pct(y['benign_fpr'])} "
              f"| {pct(x['recall_at_fpr'])} → {pct(y['recall_at_fpr'])} |")
    A("")
    A(f"Benign texts of two or more windows flagged by some label: validation {pct(val0['long_benign_flagged'])} → {pct(val1['long_benign_flagged'])} "
      f"({val0['long_benign']} texts), test {pct(test0['long_benign_flagged'])} → {pct(test1['long_benign_flagged'])} ({test0['long_benign']} texts); "
      f"all benign texts flagged: test {pct(test0['benign_flagged'])} → {pct(test1['benign_flagged'])}. A text of one window scores as before.")
    A("")
    A(END)
    return "\n".join(L)


def insert_section(card_path, section):
    """Puts the section into the model card: in place of an earlier one, else before "## Limits"."""
    card = open(card_path).read()
    if START in card:
        card = card[:card.index(START)] + section + card[card.index(END) + len(END):]
    elif "\n## Limits" in card:
        at = card.index("\n## Limits")
        card = card[:at] + "\n" + section + "\n" + card[at:]
    else:
        card = card.rstrip("\n") + "\n\n" + section + "\n"
    with open(card_path, "w") as f:
        f.write(card)


def main():
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    calibration_file, windows_file, out_file = sys.argv[1:]
    th = json.load(open(calibration_file))["thresholds"]
    # The threshold as the engine reads it: the probability the manifest ships, back to a logit.
    thr = np.array([logit(float(sigmoid(th[label]["fpr_1pct"]))) for label in LABELS])
    rows = load(windows_file)
    val = [r for r in rows if r["split"] == "val"]
    test = [r for r in rows if r["split"] == "test"]
    if not val or not test:
        sys.exit(f"{windows_file}: needs val and test rows")

    val_benign = np.array([r["z"] for r in val if r["benign"]])
    hi, lo = TAIL
    beta = np.array([(exceed_quantile(val_benign[:, k], lo) - exceed_quantile(val_benign[:, k], hi)) / math.log(hi / lo) for k in range(len(LABELS))])
    beta = np.maximum(beta, 0.0)

    val_by_lambda = [(lam, measure(val, thr, lam * beta)) for lam in LAMBDAS]
    base = val_by_lambda[0][1]["mean_recall"]
    lam = max(l for l, v in val_by_lambda if v["mean_recall"] >= base - RECALL_SLACK)
    c = lam * beta
    runs = {split: (measure(part, thr, 0 * beta), measure(part, thr, c)) for split, part in (("val", val), ("test", test))}

    rel = os.path.relpath(windows_file, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", ".."))
    entry = {
        "generated_by": "models/train/6-calibrate/window_penalty.py (do not edit by hand)",
        "logit_per_ln_windows": {label: round(float(c[k]), 6) for k, label in enumerate(LABELS)},
        "applies_to": "main windows of 128 tokens sharing 32; a text's logit per label = max window logit - c * ln(main windows)",
        "beta": {label: round(float(beta[k]), 6) for k, label in enumerate(LABELS)},
        "lambda": lam,
        "rule": f"largest lambda in {LAMBDAS} with validation mean recall at the shipped 1% thresholds >= lambda 0's - {RECALL_SLACK}",
        "validation_mean_recall_by_lambda": {f"{l:g}": round(v["mean_recall"], 4) for l, v in val_by_lambda},
        "long_benign_flagged": {split: {"without": round(a["long_benign_flagged"], 4), "with": round(b["long_benign_flagged"], 4), "texts": a["long_benign"]}
                                for split, (a, b) in runs.items()},
    }
    with open(out_file, "w") as f:
        json.dump({"manifest": entry, "card_section": card_section(beta, lam, c, runs, val_by_lambda, rel)}, f, indent=2)
        f.write("\n")
    t0, t1 = runs["test"]
    print(f"window-penalty: lambda {lam:g}, c = " + ", ".join(f"{label} {c[k]:.3f}" for k, label in enumerate(LABELS))
          + f"; test benign texts of 2+ windows flagged {pct(t0['long_benign_flagged'])} -> {pct(t1['long_benign_flagged'])}")


if __name__ == "__main__":
    main()
