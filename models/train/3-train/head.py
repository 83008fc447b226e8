"""Stage 3 (train), guard-use-lite: a small multi-label head on frozen USE-lite embeddings (embed-rows.mjs).

Head: 512 -> hidden (ReLU, dropout) -> 4 logits, BCE, AdamW, label-balanced epochs (positives per
label shared among their sources by the square root of their size; benign drawn equally from each
benign source). Variants share
seed and split: `noaug` (original training rows only), `aug` (+ stage 2's augmentation),
`aug+framed` (+ framed benign requests), `aug+framed-v1` (`aug+framed` without the second
injection carriers, `aug2:*` rows of 2-augment/injection-carriers.mjs, when stage 2 made them). Writes <work>/<variant>/scores.jsonl (val, test and the
eval-only framed benign rows) in train_bert.py's format, and head.pt for the export.

Usage: python head.py --work WORK_USE [--variants aug+framed,aug+framed-v1,aug,noaug] [--benign-group NAME=SRC,...]
"""
import argparse
import json
import os
import random
import time

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from metrics import LABELS, calibrate, load_scores
from sampling import epoch_sample, parse_benign_groups, pools

CFG = dict(hidden=256, dropout=0.2, epochs=30, batch=64, lr=2e-3, weight_decay=1e-4,
           per_epoch={"injection": 1500, "jailbreak": 1000, "harmful": 1500, "toxic": 1500, "benign": 7000})


class Head(nn.Module):
    def __init__(self, hidden, dropout):
        super().__init__()
        self.fc = nn.Linear(512, hidden)
        self.drop = nn.Dropout(dropout)
        self.out = nn.Linear(hidden, len(LABELS))

    def forward(self, e):
        return self.out(self.drop(torch.relu(self.fc(e))))


def mean_val_recall(th):
    """Mean over labels of the validation recall at the 1% validation-FPR thresholds (`calibrate`'s
    output): the one number the variants, the fine-tuning epochs and the ship rule are ranked by."""
    return float(np.mean([th[l]["val_recall_at_1pct"] for l in LABELS]))


def variant_val_recall(work, variant):
    """`mean_val_recall` of a variant's scores.jsonl (validation rows only are read)."""
    return mean_val_recall(calibrate(*load_scores(os.path.join(work, variant, "scores.jsonl")))[0])


def write_scores(path, rows, idx, z):
    """Logits of rows idx (val, test, framed_test) in train_bert.py's scores.jsonl format."""
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        for i, zz in zip(idx, z):
            r = rows[i]
            f.write(json.dumps({"split": r["split"], "source": r["source"], "category": r.get("category"), "y": r["y"],
                                "logits": [round(float(v), 6) for v in zz]}) + "\n")


def train_variant(name, E, rows, y, seed, work, group_specs=()):
    torch.manual_seed(seed)
    rng = random.Random(seed)
    src = [r["source"] for r in rows]
    keep = {"noaug": lambda r: not r["aug"], "aug": lambda r: not r["framed"], "aug+framed": lambda r: True,
            "aug+framed-v1": lambda r: not r["source"].startswith("aug2:")}[name]
    train_idx = [i for i, r in enumerate(rows) if r["split"] == "train" and keep(r)]
    by_label, benign = pools(train_idx, y, src)
    groups = parse_benign_groups(group_specs, benign)
    model = Head(CFG["hidden"], CFG["dropout"])
    opt = torch.optim.AdamW(model.parameters(), lr=CFG["lr"], weight_decay=CFG["weight_decay"])
    Et, yt = torch.from_numpy(E), torch.from_numpy(y.astype(np.float32))
    t0 = time.time()
    steps = CFG["epochs"] * (sum(CFG["per_epoch"].values()) // CFG["batch"] + 1)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=CFG["lr"], total_steps=steps, pct_start=0.1)
    for epoch in range(CFG["epochs"]):
        model.train()
        sample = epoch_sample(by_label, benign, rng, CFG["per_epoch"], groups)
        rng.shuffle(sample)
        tot = 0.0
        for s in range(0, len(sample), CFG["batch"]):
            b = torch.tensor(sample[s : s + CFG["batch"]])
            loss = F.binary_cross_entropy_with_logits(model(Et[b]), yt[b])
            opt.zero_grad()
            loss.backward()
            opt.step()
            sched.step()
            tot += loss.item() * len(b)
        if epoch % 10 == 9 or epoch == CFG["epochs"] - 1:
            print(f"[{name}] epoch {epoch} loss {tot / len(sample):.4f} {time.time() - t0:.1f}s", flush=True)
    model.eval()
    ev = [i for i, r in enumerate(rows) if r["split"] in ("val", "test", "framed_test")]
    with torch.no_grad():
        z = model(Et[ev]).numpy()
    out = os.path.join(work, name)
    write_scores(os.path.join(out, "scores.jsonl"), rows, ev, z)
    torch.save(model.state_dict(), os.path.join(out, "head.pt"))
    json.dump({"variant": name, "seed": seed, "config": CFG, "benign_groups": sorted(set(groups.values())), "train_rows": len(train_idx), "train_seconds": round(time.time() - t0, 1),
               "params": sum(p.numel() for p in model.parameters())}, open(os.path.join(out, "train.json"), "w"), indent=2)
    print(f"[{name}] {len(train_idx)} train rows, {time.time() - t0:.0f}s", flush=True)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--work", required=True)
    ap.add_argument("--seed", type=int, default=1234)
    ap.add_argument("--variants", default="aug+framed,aug+framed-v1,aug,noaug")
    ap.add_argument("--benign-group", action="append", default=[], metavar="NAME=SRC,SRC",
                    help="these benign sources share one source's quota of each epoch (e.g. the hard negatives weigh as one source)")
    args = ap.parse_args()
    torch.set_num_threads(1)  # a small MLP: more threads only spin on a shared CPU
    rows = [json.loads(l) for l in open(os.path.join(args.work, "emb-rows.jsonl"))]
    E = np.fromfile(os.path.join(args.work, "emb.f32"), dtype="<f4").reshape(len(rows), 512)
    y = np.array([r["y"] for r in rows], dtype=np.int64)
    for v in args.variants.split(","):
        train_variant(v, E, rows, y, args.seed, args.work, args.benign_group)
    choose(args.work, [v for v in ("aug+framed", "aug+framed-v1", "aug", "noaug") if os.path.exists(os.path.join(args.work, v, "scores.jsonl"))])


def choose(work, variants):
    """Ranks the variants by mean validation recall at the 1% validation-FPR thresholds
    (validation only) and writes the best to chosen_variant.txt, for information: the recipe
    ships the variant fixed in pipeline.sh."""
    best = None
    for v in variants:
        score = variant_val_recall(work, v)
        print(f"[choose] {v}: mean validation recall at 1% validation FPR {score:.4f}", flush=True)
        if best is None or score > best[1]:
            best = (v, score)
    with open(os.path.join(work, "chosen_variant.txt"), "w") as f:
        f.write(best[0] + "\n")
    print(f"[choose] best on validation: {best[0]} (pipeline.sh ships USE_VARIANT, default aug+framed)", flush=True)


if __name__ == "__main__":
    main()
