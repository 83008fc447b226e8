"""Stage 3 (train), guard-bert-mini: train a small BERT-shaped multi-label classifier on the
prepared rows, score the validation and test splits with PyTorch, and keep the weights
(<work>/<variant>/model.pt) for stage 4 (4-export/export_bert.py).

Design (b): post-LN BERT encoder (4 layers, hidden 128, 2 heads, FFN 512, GELU, 256 positions) on
the bert-base-uncased WordPiece vocabulary. Word embedding = frozen GloVe-100d table (1-prepare/glove-vectors.mjs)
x trainable 100->128 projection + a trainable per-token residual table (zero-initialised), so words
never seen in training keep their GloVe meaning. Masked mean pooling -> dense+tanh -> 4 logits.
At export the two embedding parts are folded into one [30522, 128] table (4-export/export_bert.py).

Usage: /usr/bin/python3 train_bert.py --work WORK --variant aug|noaug
"""
import argparse
import json
import math
import os
import random
import time

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from metrics import LABELS
from sampling import epoch_sample as sampling_epoch, pools

VOCAB = 30522

CFG = dict(layers=4, hidden=128, heads=2, intermediate=512, max_len=256, dropout=0.1,
           epochs=4, batch=32, lr=1e-3, weight_decay=0.01, warmup=0.06,
           # rows drawn per epoch: positives per label (shared among sources by sqrt of size, with
           # replacement where a source has fewer rows) and benign, drawn equally per benign source.
           per_epoch={"injection": 1500, "jailbreak": 1000, "harmful": 1500, "toxic": 1500, "benign": 5000})


class Layer(nn.Module):
    def __init__(self, h, heads, inter, p):
        super().__init__()
        self.heads = heads
        self.qkv = nn.Linear(h, 3 * h)
        self.out = nn.Linear(h, h)
        self.ln1 = nn.LayerNorm(h, eps=1e-12)
        self.ff1 = nn.Linear(h, inter)
        self.ff2 = nn.Linear(inter, h)
        self.ln2 = nn.LayerNorm(h, eps=1e-12)
        self.drop = nn.Dropout(p)

    def forward(self, x, bias):
        b, s, h = x.shape
        d = h // self.heads
        q, k, v = self.qkv(x).view(b, s, 3, self.heads, d).permute(2, 0, 3, 1, 4)
        att = torch.matmul(q, k.transpose(-1, -2)) * (1.0 / math.sqrt(d)) + bias
        att = self.drop(torch.softmax(att, dim=-1))
        ctx = torch.matmul(att, v).transpose(1, 2).reshape(b, s, h)
        x = self.ln1(x + self.drop(self.out(ctx)))
        return self.ln2(x + self.drop(self.ff2(F.gelu(self.ff1(x)))))


class GuardBert(nn.Module):
    def __init__(self, cfg, glove):
        super().__init__()
        h = cfg["hidden"]
        self.register_buffer("glove", torch.from_numpy(glove))  # frozen [V, 100]
        self.proj = nn.Linear(glove.shape[1], h, bias=False)
        self.resid = nn.Embedding(VOCAB, h)
        covered = torch.from_numpy((np.abs(glove).sum(1) > 0).astype(np.float32))
        with torch.no_grad():
            nn.init.normal_(self.proj.weight, std=1.0)  # unit-norm GloVe rows -> ~unit-variance features
            self.resid.weight.normal_(std=1.0)
            self.resid.weight.mul_((1 - covered).unsqueeze(1))  # learned only where GloVe has nothing
        self.pos = nn.Embedding(cfg["max_len"], h)
        nn.init.normal_(self.pos.weight, std=0.02)
        self.ln = nn.LayerNorm(h, eps=1e-12)
        self.drop = nn.Dropout(cfg["dropout"])
        self.layers = nn.ModuleList(Layer(h, cfg["heads"], cfg["intermediate"], cfg["dropout"]) for _ in range(cfg["layers"]))
        self.pool = nn.Linear(h, h)
        self.cls = nn.Linear(h, len(LABELS))

    def word_table(self):
        return self.proj(self.glove) + self.resid.weight

    def embed(self, ids):
        return self.proj(F.embedding(ids, self.glove)) + self.resid(ids)

    def encode(self, words, mask):
        s = words.shape[1]
        x = self.drop(self.ln(words + self.pos.weight[:s].unsqueeze(0)))
        m = mask.to(torch.float32)
        bias = ((1.0 - m) * -10000.0)[:, None, None, :]
        for layer in self.layers:
            x = layer(x, bias)
        pooled = (x * m.unsqueeze(-1)).sum(1) / m.sum(1, keepdim=True).clamp(min=1.0)
        return self.cls(self.drop(torch.tanh(self.pool(pooled))))

    def forward(self, input_ids, attention_mask):
        return self.encode(self.embed(input_ids), attention_mask)


def pad(rows):
    width = max(len(r["ids"]) for r in rows)
    ids = torch.zeros((len(rows), width), dtype=torch.int64)
    mask = torch.zeros((len(rows), width), dtype=torch.int64)
    for i, r in enumerate(rows):
        ids[i, : len(r["ids"])] = torch.tensor(r["ids"])
        mask[i, : len(r["ids"])] = 1
    return ids, mask


def epoch_sample(train, rng, per_epoch):
    """One epoch's rows, drawn as sampling.epoch_sample draws them (positives shared among their
    sources by the square root of their size, benign equally per benign source)."""
    y = np.array([r["y"] for r in train], dtype=np.int64)
    by_label, benign = pools(range(len(train)), y, [r["source"] for r in train])
    return [train[i] for i in sampling_epoch(by_label, benign, rng, per_epoch)]


def batches_by_length(rows, size, rng):
    rows = rows[:]
    rng.shuffle(rows)
    chunk = size * 50
    bs = []
    for c in range(0, len(rows), chunk):
        part = sorted(rows[c : c + chunk], key=lambda r: len(r["ids"]))
        bs += [part[i : i + size] for i in range(0, len(part), size)]
    rng.shuffle(bs)
    return bs


@torch.no_grad()
def score(model, rows, size=64):
    model.eval()
    order = sorted(range(len(rows)), key=lambda i: len(rows[i]["ids"]))
    out = np.zeros((len(rows), len(LABELS)), dtype=np.float32)
    for s in range(0, len(order), size):
        idx = order[s : s + size]
        ids, mask = pad([rows[i] for i in idx])
        out[idx] = model(ids, mask).numpy()
    return out  # logits


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--work", required=True)
    ap.add_argument("--variant", choices=["aug", "noaug"], required=True)
    ap.add_argument("--seed", type=int, default=1234)
    ap.add_argument("--epochs", type=int, default=CFG["epochs"])
    ap.add_argument("--no-glove", action="store_true", help="design comparison: random word embeddings instead of GloVe")
    args = ap.parse_args()
    torch.set_num_threads(2)
    torch.manual_seed(args.seed)
    random.seed(args.seed)
    np.random.seed(args.seed)
    rng = random.Random(args.seed)
    cfg = dict(CFG, epochs=args.epochs)

    rows = [json.loads(l) for l in open(os.path.join(args.work, "rows.jsonl"))]
    train = [r for r in rows if r["split"] == "train" and (args.variant == "aug" or not r["aug"])]
    evalrows = [r for r in rows if r["split"] in ("val", "test")]
    glove = np.fromfile(os.path.join(args.work, "glove.f32"), dtype="<f4").reshape(VOCAB, -1)
    if args.no_glove:
        glove = np.zeros_like(glove)  # every row then gets a random, fully trainable embedding
    out_dir = os.path.join(args.work, args.variant + ("-noglove" if args.no_glove else ""))
    os.makedirs(out_dir, exist_ok=True)

    model = GuardBert(cfg, glove)
    decay = [p for n, p in model.named_parameters() if p.dim() >= 2 and not n.startswith("pos")]
    no_decay = [p for n, p in model.named_parameters() if p.dim() < 2 or n.startswith("pos")]
    opt = torch.optim.AdamW([{"params": decay, "weight_decay": cfg["weight_decay"]},
                             {"params": no_decay, "weight_decay": 0.0}], lr=cfg["lr"])
    steps_per_epoch = math.ceil(sum(cfg["per_epoch"].values()) / cfg["batch"])
    total = steps_per_epoch * cfg["epochs"]
    warm = int(total * cfg["warmup"])
    sched = torch.optim.lr_scheduler.LambdaLR(opt, lambda s: (s + 1) / warm if s < warm else max(0.0, (total - s) / (total - warm)))
    t0 = time.time()
    step = 0
    log = []
    for epoch in range(cfg["epochs"]):
        model.train()
        sample = epoch_sample(train, rng, cfg["per_epoch"])
        tot, n, toks = 0.0, 0, 0
        for b in batches_by_length(sample, cfg["batch"], rng):
            ids, mask = pad(b)
            y = torch.tensor([r["y"] for r in b], dtype=torch.float32)
            loss = F.binary_cross_entropy_with_logits(model(ids, mask), y)
            opt.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            opt.step()
            sched.step()
            step += 1
            tot += loss.item() * len(b)
            n += len(b)
            toks += int(mask.sum())
            if step % 50 == 0:
                print(f"[{args.variant}] epoch {epoch} step {step}/{total} loss {tot / n:.4f} {time.time() - t0:.0f}s", flush=True)
        log.append({"epoch": epoch, "loss": tot / n, "tokens": toks, "elapsed_s": round(time.time() - t0, 1)})
        print(f"[{args.variant}] epoch {epoch} done: loss {tot / n:.4f}, {toks} tokens, {time.time() - t0:.0f}s", flush=True)
    train_s = time.time() - t0

    logits = score(model, evalrows)
    with open(os.path.join(out_dir, "scores.jsonl"), "w") as f:
        for r, z in zip(evalrows, logits):
            f.write(json.dumps({"split": r["split"], "source": r["source"], "category": r.get("category"),
                                "y": r["y"], "logits": [round(float(v), 6) for v in z]}) + "\n")
    n_train_rows = len(train)
    meta = {"variant": args.variant, "glove": not args.no_glove, "seed": args.seed, "config": cfg, "train_rows": n_train_rows,
            "train_seconds": round(train_s, 1), "epochs_log": log,
            "params": sum(p.numel() for p in model.parameters() if p.requires_grad)}
    json.dump(meta, open(os.path.join(out_dir, "train.json"), "w"), indent=2)
    print(f"[{args.variant}] trained in {train_s:.0f}s; scored {len(evalrows)} val/test rows", flush=True)

    torch.save(model.state_dict(), os.path.join(out_dir, "model.pt"))


if __name__ == "__main__":
    main()
