"""The recipe's shared measures: label order, score files, ROC-AUC, thresholds at a benign FPR,
calibration on the validation split, and test-split evaluation. Used by training (epoch and
variant choice), calibration, the model cards and the comparison tools."""
import json
import os

import numpy as np

LABELS = ["injection", "jailbreak", "harmful", "toxic"]
HARD_BENIGN = ["neuralchemy_v1", "self_instruct_seed", "alpaca_eval", "awesome_chatgpt_prompts", "everyday_chat_eval", "certified_llm_safety",
               "garak_latentinjection", "toxigen_seed"]


def sigmoid(x):
    return 1.0 / (1.0 + np.exp(-np.asarray(x, dtype=np.float64)))


def load_scores(path):
    rows = [json.loads(l) for l in open(path)]
    y = np.array([r["y"] for r in rows], dtype=np.int64)
    z = np.array([r["logits"] for r in rows], dtype=np.float64)
    return rows, y, z


def auc(pos, neg):
    """ROC-AUC (Mann-Whitney, ties count one half)."""
    allv = np.concatenate([pos, neg])
    order = allv.argsort(kind="mergesort")
    ranks = np.empty(len(allv))
    sv = allv[order]
    i = 0
    while i < len(sv):
        j = i
        while j + 1 < len(sv) and sv[j + 1] == sv[i]:
            j += 1
        ranks[order[i : j + 1]] = (i + j) / 2.0 + 1
        i = j + 1
    rp = ranks[: len(pos)].sum()
    return float((rp - len(pos) * (len(pos) + 1) / 2) / (len(pos) * len(neg)))


def threshold_at_fpr(neg, target, weights=None):
    """Smallest logit threshold t (flag when logit >= t) whose (weighted) benign FPR <= target."""
    neg = np.asarray(neg, dtype=np.float64)
    w = np.ones_like(neg) / len(neg) if weights is None else np.asarray(weights) / np.sum(weights)
    o = np.argsort(-neg, kind="mergesort")
    s, c = neg[o], np.cumsum(w[o])
    k = int(np.searchsorted(c, target + 1e-12, side="right"))  # first index whose cum. weight > target
    if k >= len(s):
        return float(s[-1])
    return float(np.nextafter(s[k], np.inf))


def prf(y, flag):
    tp = int((flag & (y == 1)).sum())
    fp = int((flag & (y == 0)).sum())
    fn = int((~flag & (y == 1)).sum())
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


MIN_CALIBRATION_ROWS = 30
# The `balanced` preset's target: benign validation text flagged by any label (see calibrate).
ANY_LABEL_FPR = 0.02


def benign_source_weights(sources):
    """A weight per benign row so that every source weighs the same. A source with a handful of
    benign validation rows (a stray row of a mostly-attack file) would weigh as much as a
    thousand-row one: those are pooled into one group. Also returns the groups' row counts."""
    small = {s for s in set(sources) if sources.count(s) < MIN_CALIBRATION_ROWS}
    groups = ["(small sources)" if s in small else s for s in sources]
    counts = {s: groups.count(s) for s in set(groups)}
    return np.array([1.0 / counts[s] for s in groups]), counts


def any_label_thresholds(zb, w, budget=ANY_LABEL_FPR):
    """A text is flagged when any column fires: four labels at 1% each flag up to 4% of benign
    text. One common per-column FPR f, chosen so that the (weighted) share of the benign rows `zb`
    flagged by some column is `budget`. Returns (f, that share, the thresholds)."""
    def union_at(f):
        t = [threshold_at_fpr(zb[:, k], f, w) for k in range(zb.shape[1])]
        return float(np.sum(w * (zb >= np.array(t)).any(1)) / np.sum(w)), t
    lo, hi = 0.0, 0.01
    for _ in range(40):
        mid = (lo + hi) / 2
        lo, hi = (mid, hi) if union_at(mid)[0] <= budget else (lo, mid)
    union, t = union_at(lo)
    return lo, union, t


def calibrate(rows, y, z):
    """Per-label logit thresholds at 1% and 0.1% benign FPR on the validation split; every benign
    validation source weighs the same, so big easy sources (math, exam questions) cannot hide
    false positives on chat-style prompts."""
    val = np.array([r["split"] == "val" for r in rows])
    benign = val & (y.sum(1) == 0)
    w, counts = benign_source_weights([rows[i]["source"] for i in np.where(benign)[0]])
    th = {}
    for k, l in enumerate(LABELS):
        th[l] = {"fpr_1pct": threshold_at_fpr(z[benign, k], 0.01, w), "fpr_0_1pct": threshold_at_fpr(z[benign, k], 0.001, w)}
        pos = val & (y[:, k] == 1)
        th[l]["val_recall_at_1pct"] = float((z[pos, k] >= th[l]["fpr_1pct"]).mean()) if pos.any() else None
    # `any_label`: the thresholds at which ANY_LABEL_FPR of benign validation text is flagged by some label.
    f, union, t = any_label_thresholds(z[benign], w)
    for k, l in enumerate(LABELS):
        th[l]["any_label"] = t[k]
        th[l]["any_label_per_label_fpr"] = f
        th[l]["any_label_val_fpr"] = union
    return th, sorted(counts.items())


def calibrate_output(rows, y, z, target=0.01):
    """Thresholds for model replies (the output direction): for each label with reply positives in
    validation, the logit threshold at `target` FPR on the benign validation replies (refusals and
    safe answers; reply sources weighted equally), with its validation recall on replies.
    Labels without reply positives keep the input thresholds (not returned)."""
    src = np.array([r["source"] for r in rows])
    split = np.array([r["split"] for r in rows])
    reply = np.array([s.endswith(":reply") for s in src])
    benign = y.sum(1) == 0
    vb = reply & (split == "val") & benign
    if not vb.any():
        return {}
    names = list(src[vb])
    w = np.array([1.0 / names.count(s) for s in names])
    out = {}
    for k, l in enumerate(LABELS):
        vpos = reply & (split == "val") & (y[:, k] == 1)
        if not vpos.any():
            continue
        t = threshold_at_fpr(z[vb, k], target, w)
        out[l] = {"logit": t, "val_recall": float((z[vpos, k] >= t).mean()), "val_replies": {s: names.count(s) for s in sorted(set(names))},
                  "target_fpr": target}
    return out


def evaluate(rows, y, z, th):
    test = np.array([r["split"] == "test" for r in rows])
    src = np.array([r["source"] for r in rows])
    benign = test & (y.sum(1) == 0)
    hard = benign & np.isin(src, HARD_BENIGN)
    out = {}
    for k, l in enumerate(LABELS):
        pos = test & (y[:, k] == 1)
        if not pos.any():
            continue
        t = th[l]["fpr_1pct"]
        flag = z[:, k] >= t
        p, r, f1 = prf(y[test, k], flag[test])
        rec_at = lambda negmask, fpr: float((z[pos, k] >= threshold_at_fpr(z[negmask, k], fpr)).mean())
        m = {
            "positives": int(pos.sum()), "positive_sources": sorted(set(src[pos])),
            "roc_auc": auc(z[pos, k], z[benign, k]), "roc_auc_vs_hard_benign": auc(z[pos, k], z[hard, k]),
            "recall_at_1pct_fpr": rec_at(benign, 0.01), "recall_at_2pct_fpr": rec_at(benign, 0.02),
            "recall_at_1pct_fpr_hard_benign": rec_at(hard, 0.01),
            "threshold_logit": t, "threshold_score": float(sigmoid(t)),
            "precision": p, "recall": r, "f1": f1,
            "benign_fpr": float(flag[benign].mean()), "hard_benign_fpr": float(flag[hard].mean()),
        }
        if l == "toxic":
            tw = benign & (src == "davidson_tweets")
            m["roc_auc_vs_benign_tweets"] = auc(z[pos, k], z[tw, k])
        cats = {}
        for i in np.where(pos)[0]:
            c = f'{rows[i]["source"]}/{rows[i].get("category") or "-"}'
            cats.setdefault(c, []).append(bool(flag[i]))
        m["recall_by_category"] = {c: [sum(v), len(v)] for c, v in sorted(cats.items())}
        out[l] = m
    per_source = {}
    any_flag = np.zeros(len(rows), dtype=bool)
    for k, l in enumerate(LABELS):
        any_flag |= z[:, k] >= th[l]["fpr_1pct"]
    for s in sorted(set(src[benign])):
        msk = benign & (src == s)
        per_source[s] = {"n": int(msk.sum()), "any_label": float(any_flag[msk].mean()),
                         **{l: float((z[msk, k] >= th[l]["fpr_1pct"]).mean()) for k, l in enumerate(LABELS)}}
    out["_benign_fpr_by_source"] = per_source
    attacks = {}
    for i in np.where(test & (y.sum(1) > 0))[0]:
        key = f'{src[i]} ({"+".join(l for k, l in enumerate(LABELS) if y[i, k])})'
        own = any(y[i, k] and z[i, k] >= th[l]["fpr_1pct"] for k, l in enumerate(LABELS))
        a = attacks.setdefault(key, {"n": 0, "any_label": 0, "own_label": 0})
        a["n"] += 1
        a["any_label"] += int(any_flag[i])
        a["own_label"] += int(own)
    out["_attack_by_source"] = {k: {"n": v["n"], "any_label": v["any_label"] / v["n"], "own_label": v["own_label"] / v["n"]} for k, v in sorted(attacks.items())}
    out["_benign_counts"] = {"all": int(benign.sum()), "hard": int(hard.sum())}
    return out


def framed_benign(path, th):
    """Eval-only framed benign rows (2-augment/augment.mjs: held-out benign questions inside the fiction /
    hypothetical wrappers of the harmful augmentation): share flagged at the shipped thresholds."""
    if not os.path.exists(path):
        return None
    rows, _, z = load_scores(path)
    out = {"rows": len(rows)}
    for key in ("fpr_1pct", "fpr_0_1pct"):
        flag = np.zeros(len(rows), dtype=bool)
        for k, l in enumerate(LABELS):
            flag |= z[:, k] >= th[l][key]
        out[f"any_label_at_{key}"] = float(flag.mean())
    out["per_label_at_fpr_1pct"] = {l: float((z[:, k] >= th[l]["fpr_1pct"]).mean()) for k, l in enumerate(LABELS)}
    return out


def pct(x):
    return "–" if x is None else f"{100 * x:.1f}%"
