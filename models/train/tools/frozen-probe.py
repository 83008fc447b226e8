"""Study (not a stage): how well do the pretrained encoder's own sentence embeddings, before any
fine-tuning, separate each label? Masked-mean embeddings of all-MiniLM-L6-v2 (as published, from
the wheel that pretrained.json names), one logistic-regression head per label trained on a
source-balanced sample of the training split (at most 150 rows a source), scored on the test split.
Reported: per label ROC-AUC and recall at the floor FPR on test benign prompts, and the two
held-out styles the fine-tuned model reads worst (ToxiGen's implicit hate against ToxiGen's neutral
rows; CatQA against the test benign prompts).

Usage (PYTHONPATH as pipeline.sh sets it): .venv/bin/python tools/frozen-probe.py <guard-minilm work folder> (reads pretrained.json, prep/prepared.jsonl)
"""
import json
import random
import sys
import time

import numpy as np
import torch
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score
from transformers import AutoTokenizer

from finetune_minilm import MiniLMGuard, load_encoder

LABELS = ["injection", "jailbreak", "harmful", "toxic"]
PER_SOURCE = 150


def embed(tok, model, texts):
    """MiniLMGuard.embed (masked mean of the last layer), L2-normalised, of texts cut to 128 pieces."""
    order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
    out = np.zeros((len(texts), model.encoder.config.hidden_size), dtype=np.float32)
    t0 = time.time()
    for b in range(0, len(order), 64):
        idx = order[b : b + 64]
        x = tok([texts[i] for i in idx], padding=True, truncation=True, max_length=128, return_tensors="pt")
        with torch.no_grad():
            out[idx] = torch.nn.functional.normalize(model.embed(x["input_ids"], x["attention_mask"]), dim=-1).numpy()
    print(f"embedded {len(texts)} texts in {time.time() - t0:.0f}s", flush=True)
    return out


def main():
    work = sys.argv[1]
    torch.set_num_threads(2)
    pre = json.load(open(f"{work}/pretrained.json"))["model_dir"]
    tok = AutoTokenizer.from_pretrained(pre)
    model = MiniLMGuard(load_encoder(pre), 0.0).eval()
    rows = [json.loads(l) for l in open(f"{work}/prep/prepared.jsonl")]
    rng = random.Random(1)
    by_source = {}
    for r in rows:
        if r["split"] == "train":
            by_source.setdefault(r["source"], []).append(r)
    train = []
    for s in sorted(by_source):
        rng.shuffle(by_source[s])
        train += by_source[s][:PER_SOURCE]
    test = [r for r in rows if r["split"] == "test"]
    xtr, xte = embed(tok, model, [r["text"] for r in train]), embed(tok, model, [r["text"] for r in test])
    ytr = np.array([[l in r["labels"] for l in LABELS] for r in train])
    yte = np.array([[l in r["labels"] for l in LABELS] for r in test])
    z = np.stack([LogisticRegression(C=10, max_iter=3000, class_weight="balanced").fit(xtr, ytr[:, k]).decision_function(xte)
                  for k in range(len(LABELS))], 1)
    src = np.array([r["source"] for r in test])
    benign = (yte.sum(1) == 0) & ~np.char.endswith(src.astype(str), ":reply")
    print(f"{len(train)} training rows from {len(by_source)} sources; {len(test)} test rows")
    for k, l in enumerate(LABELS):
        pos = yte[:, k]
        th = np.quantile(z[benign, k], 0.99 if k < 2 else 0.98)
        m = pos | benign
        print(f"{l}: ROC-AUC {roc_auc_score(pos[m], z[m, k]):.3f}, recall {100 * (z[pos, k] > th).mean():.1f}% at {1 if k < 2 else 2}% test benign FPR")
    t = src == "toxigen_seed"
    print(f"ToxiGen (implicit hate vs neutral), toxic: ROC-AUC {roc_auc_score(yte[t].any(1), z[t, 3]):.3f}")
    c = (src == "catqa") | benign
    print(f"CatQA vs test benign prompts, harmful: ROC-AUC {roc_auc_score(src[c] == 'catqa', z[c, 2]):.3f}")


if __name__ == "__main__":
    main()
