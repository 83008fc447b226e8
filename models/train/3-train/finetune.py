"""Stage 3 (train), guard-use-lite: fine-tune the USE-lite encoder together with the head (LP-FT).

The frozen run (head.py) is the linear-probe stage: fine-tuning starts from the ported encoder and
the trained `aug+framed` head, so the first updates do not have to undo a random head's gradients
through pretrained features. Trained: both transformer layers, the 512-d tanh layer and the head.
Kept frozen: the 8,002 x 256 piece embeddings, so pieces that never occur in training rows stay
where pretraining put them, next to the pieces that do.

Same rows (the aug+framed training rows), same label-balanced epochs as head.py. After every
epoch the validation split is scored and calibrated exactly as the report does (1% benign FPR,
benign validation sources weighted equally); the epoch with the best mean validation recall is
kept, the frozen start (epoch 0) included, so fine-tuning can only be chosen when validation says
it helps. Test rows are scored once, with the kept weights, and never looked at here.

Writes <work>/finetuned/: scores.jsonl (val, test, framed_test rows; head.py's format),
encoder.pt + head.pt (export_use.py), train.json (config, per-epoch validation recall, seconds).

Usage: /usr/bin/python3 finetune.py --work WORK_USE --dist USE_DIST [--seed 1234] [--epochs 3] [--hard-negatives 0] [--benign-group NAME=SRC,...]
       [--teacher SCORES --distill-labels injection,jailbreak --distill-reply-labels harmful --distill-alpha 0.5]
"""
import argparse
import copy
import json
import os
import random
import time

import numpy as np
import torch
import torch.nn.functional as F

from head import CFG as CFG_HEAD, Head, mean_val_recall, write_scores
from metrics import LABELS, calibrate
from sampling import epoch_sample, length_batches, parse_benign_groups, pools
from use_port import UseLiteEncoder, load_tfjs_weights, pad

FROM_VARIANT = "aug+framed"
CFG = dict(epochs=3, batch=32, lr_encoder=3e-5, lr_head=1e-4, weight_decay=0.01, warmup=0.1,
           per_epoch=CFG_HEAD["per_epoch"], length_bucket_batches=50, hard_negative_source_cap=0.25)


def score(encoder, head, ids, idx, batch=128):
    """Logits for rows idx (no grad, eval mode), batched by length."""
    encoder.eval()
    head.eval()
    z = np.zeros((len(idx), len(LABELS)), dtype=np.float64)
    order = sorted(range(len(idx)), key=lambda j: len(ids[idx[j]]))
    with torch.no_grad():
        for s in range(0, len(order), batch):
            part = order[s : s + batch]
            t, m = pad([ids[idx[j]] for j in part])
            z[part] = head(encoder(t, m)).numpy()
    return z


def hard_negatives(encoder, head, ids, benign, n, source_cap):
    """The n benign training rows the current model scores highest (any label), at most
    source_cap * n from one source: the false positives of this epoch's start, so that no
    source dominates the mined rows either."""
    candidates = [(s, i) for s in sorted(benign) for i in benign[s]]
    top = score(encoder, head, ids, [i for _, i in candidates]).max(axis=1)
    taken, per_source = [], {}
    for j in np.argsort(-top, kind="stable"):
        s, i = candidates[j]
        if per_source.get(s, 0) >= source_cap * n:
            continue
        per_source[s] = per_source.get(s, 0) + 1
        taken.append(i)
        if len(taken) == n:
            break
    return taken, per_source


def distil_targets(rows, yt, args):
    """Soft targets: for each training row the teacher scored, (1 - alpha) * label + alpha *
    sigmoid(teacher logit) on the distilled labels (on reply rows also the reply labels). Validation
    and test rows keep their labels: only what training fits changes, never what it is judged by."""
    teacher = {}
    with open(args.teacher) as f:
        for line in f:
            t = json.loads(line)
            teacher[t["text"]] = t["logits"]
    def pick(names, flag):
        unknown = [l for l in names.split(",") if l and l not in LABELS]
        if unknown:
            raise SystemExit(f"{flag}: unknown label {', '.join(unknown)} (one of {', '.join(LABELS)})")
        return [LABELS.index(l) for l in names.split(",") if l]

    if not 0 <= args.distill_alpha <= 1:
        raise SystemExit(f"--distill-alpha: {args.distill_alpha} is not between 0 and 1")
    cols, reply_cols = pick(args.distill_labels, "--distill-labels"), pick(args.distill_reply_labels, "--distill-reply-labels")
    soft, n = yt.clone(), 0
    for i, r in enumerate(rows):
        z = teacher.get(r["text"]) if r["split"] == "train" else None
        if z is None:
            continue
        for k in cols + (reply_cols if r["source"].endswith(":reply") else []):
            soft[i, k] = (1 - args.distill_alpha) * yt[i, k] + args.distill_alpha / (1 + np.exp(-z[k]))
        n += 1
    if not n:
        raise SystemExit(f"--teacher: none of the {len(teacher)} texts in {args.teacher} is a training row of this work folder")
    return soft, n


def val_recall(rows, y, ids, val_idx, encoder, head):
    z = np.zeros((len(rows), len(LABELS)))
    z[val_idx] = score(encoder, head, ids, val_idx)
    th, _ = calibrate(rows, y, z)  # reads only the val rows
    return mean_val_recall(th), {l: th[l]["val_recall_at_1pct"] for l in LABELS}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--work", required=True)
    ap.add_argument("--dist", required=True)
    ap.add_argument("--seed", type=int, default=1234)
    ap.add_argument("--epochs", type=int, default=CFG["epochs"])
    ap.add_argument("--limit-train", type=int, default=0, help="smoke runs only: steps per epoch")
    ap.add_argument("--hard-negatives", type=float, default=0.0,
                    help="share of each epoch's benign rows mined from the benign training rows the model scores highest (0: none)")
    ap.add_argument("--benign-group", action="append", default=[], metavar="NAME=SRC,SRC",
                    help="these benign sources share one source's quota of each epoch (as head.py's, which trained the starting head)")
    ap.add_argument("--teacher", default="", metavar="SCORES_JSONL",
                    help="a teacher's logits of training rows (tools/teacher-scores.py): distil its --distill-labels into the targets")
    ap.add_argument("--distill-labels", default="injection,jailbreak", help="labels whose targets mix in the teacher's probability")
    ap.add_argument("--distill-reply-labels", default="", help="labels distilled on reply rows (source ending ':reply') only")
    ap.add_argument("--distill-alpha", type=float, default=0.5, help="target = (1 - alpha) * label + alpha * teacher probability")
    args = ap.parse_args()
    CFG["epochs"] = args.epochs
    torch.set_num_threads(2)
    torch.manual_seed(args.seed)
    rng = random.Random(args.seed + 17)
    W = args.work

    rows = [json.loads(l) for l in open(os.path.join(W, "emb-rows.jsonl"))]
    y = np.array([r["y"] for r in rows], dtype=np.int64)
    yt = torch.from_numpy(y.astype(np.float32))
    distilled = 0
    if args.teacher:
        yt, distilled = distil_targets(rows, yt, args)
        print(f"[finetune] teacher {args.teacher}: {distilled} training rows' targets mixed (alpha {args.distill_alpha})", flush=True)
    ids = [r["ids"] for r in rows]
    train_idx = [i for i, r in enumerate(rows) if r["split"] == "train"]  # aug+framed keeps every train row
    val_idx = [i for i, r in enumerate(rows) if r["split"] == "val"]
    by_label, benign = pools(train_idx, y, [r["source"] for r in rows])
    groups = parse_benign_groups(args.benign_group, benign)

    encoder = UseLiteEncoder(load_tfjs_weights(args.dist))
    encoder.embed.weight.requires_grad_(False)
    head = Head(CFG_HEAD["hidden"], CFG_HEAD["dropout"])
    head.load_state_dict(torch.load(os.path.join(W, FROM_VARIANT, "head.pt")))
    no_decay = lambda n: n.endswith("bias") or ".ln" in n or n.startswith("ln")
    enc_params = [(n, p) for n, p in encoder.named_parameters() if p.requires_grad]
    opt = torch.optim.AdamW([
        {"params": [p for n, p in enc_params if not no_decay(n)], "lr": CFG["lr_encoder"], "weight_decay": CFG["weight_decay"]},
        {"params": [p for n, p in enc_params if no_decay(n)], "lr": CFG["lr_encoder"], "weight_decay": 0.0},
        {"params": list(head.parameters()), "lr": CFG["lr_head"], "weight_decay": CFG["weight_decay"]},
    ])
    per_epoch_rows = sum(CFG["per_epoch"].values())
    steps_per_epoch = -(-per_epoch_rows // CFG["batch"])
    if args.limit_train:
        steps_per_epoch = min(steps_per_epoch, args.limit_train)
    total = steps_per_epoch * CFG["epochs"]
    warm = max(1, int(total * CFG["warmup"]))
    sched = torch.optim.lr_scheduler.LambdaLR(opt, lambda s: min((s + 1) / warm, max(0.0, (total - s) / max(1, total - warm))))

    t0 = time.time()
    start, start_per = val_recall(rows, y, ids, val_idx, encoder, head)
    history = [{"epoch": 0, "val_mean_recall_at_1pct": round(start, 4), "per_label": start_per, "seconds": round(time.time() - t0, 1)}]
    print(f"[finetune] epoch 0 (frozen encoder, {FROM_VARIANT} head): val mean recall@1% {start:.4f} {start_per}", flush=True)
    best = (start, 0, copy.deepcopy(encoder.state_dict()), copy.deepcopy(head.state_dict()))
    for epoch in range(1, CFG["epochs"] + 1):
        # Part of the benign quota may go to the current false positives of the training rows.
        n_hard = int(CFG["per_epoch"]["benign"] * args.hard_negatives)
        hard = []
        if n_hard:
            hard, mined_from = hard_negatives(encoder, head, ids, benign, n_hard, CFG["hard_negative_source_cap"])
            print(f"[finetune] epoch {epoch}: {len(hard)} hard negatives from {len(mined_from)} sources "
                  f"(most: {sorted(mined_from.items(), key=lambda kv: -kv[1])[:4]})", flush=True)
        sample = epoch_sample(by_label, benign, rng, {**CFG["per_epoch"], "benign": CFG["per_epoch"]["benign"] - n_hard}, groups) + hard
        encoder.train()
        head.train()
        batches = length_batches(sample, [len(t) for t in ids], rng, CFG["batch"], CFG["length_bucket_batches"])[:steps_per_epoch]
        tot, n = 0.0, 0
        for step, b in enumerate(batches):
            t, m = pad([ids[i] for i in b])
            loss = F.binary_cross_entropy_with_logits(head(encoder(t, m)), yt[b])
            opt.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_([p for g in opt.param_groups for p in g["params"]], 1.0)
            opt.step()
            sched.step()
            tot, n = tot + loss.item() * len(b), n + len(b)
            if step % 100 == 99:
                print(f"[finetune] epoch {epoch} step {step + 1}/{len(batches)} loss {tot / n:.4f} {time.time() - t0:.0f}s", flush=True)
        mean, per = val_recall(rows, y, ids, val_idx, encoder, head)
        history.append({"epoch": epoch, "train_loss": round(tot / max(1, n), 4), "val_mean_recall_at_1pct": round(mean, 4), "per_label": per,
                        "seconds": round(time.time() - t0, 1)})
        print(f"[finetune] epoch {epoch}: loss {tot / max(1, n):.4f}, val mean recall@1% {mean:.4f} {per} {time.time() - t0:.0f}s", flush=True)
        if mean > best[0]:
            best = (mean, epoch, copy.deepcopy(encoder.state_dict()), copy.deepcopy(head.state_dict()))

    encoder.load_state_dict(best[2])
    head.load_state_dict(best[3])
    out = os.path.join(W, "finetuned")
    ev = [i for i, r in enumerate(rows) if r["split"] in ("val", "test", "framed_test")]
    write_scores(os.path.join(out, "scores.jsonl"), rows, ev, score(encoder, head, ids, ev))
    torch.save(encoder.state_dict(), os.path.join(out, "encoder.pt"))
    torch.save(head.state_dict(), os.path.join(out, "head.pt"))
    json.dump({"variant": "finetuned", "from_variant": FROM_VARIANT, "seed": args.seed, "config": {**CFG_HEAD, "finetune": CFG},
               "hard_negatives": args.hard_negatives,
               "teacher": {"scores": os.path.basename(args.teacher), "labels": args.distill_labels, "reply_labels": args.distill_reply_labels,
                           "alpha": args.distill_alpha, "rows": distilled} if args.teacher else None,
               "benign_groups": sorted(set(groups.values())),
               "train_rows": len(train_idx), "kept_epoch": best[1], "val_mean_recall_at_1pct": round(best[0], 4), "history": history,
               "train_seconds": round(time.time() - t0, 1),
               "trained_params": sum(p.numel() for g in opt.param_groups for p in g["params"])},
              open(os.path.join(out, "train.json"), "w"), indent=2)
    print(f"[finetune] kept epoch {best[1]} (val mean recall@1% {best[0]:.4f}); {time.time() - t0:.0f}s -> {out}", flush=True)


if __name__ == "__main__":
    main()
