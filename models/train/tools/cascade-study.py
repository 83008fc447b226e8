"""Study (not a stage): would a cascade pay? The fast tier (guard-bert-mini, same WordPiece ids)
clears a text when every label's score is below a "clear" threshold; only the rest go to the
encoder. Clear thresholds are set on VALIDATION: per label, the fast-tier score below which at most
`loss` of the encoder's own validation catches (at its `default` thresholds) would be cleared. The
test split is then reported: share of texts cleared (what the encoder no longer runs on), attacks
lost against the encoder alone, benign rows flagged.

Usage: .venv/bin/python tools/cascade-study.py <encoder scores.jsonl> <calibration.json> <fast scores.jsonl> [loss ...]
"""
import json
import sys

import numpy as np

sys.path.insert(0, __file__.rsplit("/", 2)[0] + "/lib")
from metrics import LABELS, load_scores  # noqa: E402


def main():
    enc_path, cal_path, fast_path = sys.argv[1:4]
    losses = [float(x) for x in sys.argv[4:]] or [0.0, 0.005, 0.01, 0.02]
    re_, ye, ze = load_scores(enc_path)
    keep = np.array([r["split"] in ("val", "test") for r in re_])
    re_ = [r for r, k in zip(re_, keep) if k]
    ye, ze = ye[keep], ze[keep]
    rf, yf, zf = load_scores(fast_path)
    assert [r["source"] for r in rf] == [r["source"] for r in re_]
    th = json.load(open(cal_path))["thresholds"]
    t_enc = np.array([th[l]["any_label"] for l in LABELS])
    split = np.array([r["split"] for r in re_])
    benign = ye.sum(1) == 0
    enc_flag = (ze >= t_enc).any(1)
    for loss in losses:
        clear = np.zeros(len(LABELS))
        for k, l in enumerate(LABELS):
            caught = (split == "val") & (ye[:, k] == 1) & (ze[:, k] >= t_enc[k])
            clear[k] = np.quantile(zf[caught, k], loss) if caught.any() else -np.inf
        cleared = (zf < clear).all(1)
        flag = enc_flag & ~cleared
        for sp in ("val", "test"):
            m = split == sp
            att = m & ~benign
            print(f"loss {loss:.3f} {sp}: cleared {cleared[m].mean():.1%} of rows ({cleared[m & benign].mean():.1%} of benign); "
                  f"attacks flagged {flag[att].mean():.1%} (encoder alone {enc_flag[att].mean():.1%}); "
                  f"benign flagged {flag[m & benign].mean():.2%} (encoder alone {enc_flag[m & benign].mean():.2%})")
        print("   clear below (fast-tier logits):", dict(zip(LABELS, np.round(clear, 3).tolist())))


if __name__ == "__main__":
    main()
