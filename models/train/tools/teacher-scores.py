"""Scores of a trained classifier (the teacher, e.g. guard-minilm's int8 file) on a work folder's
training rows, for distillation into guard-use-lite (3-train/finetune.py --teacher).

Reads <rows.jsonl> (2-augment's rows: WordPiece ids of bert-base-uncased, the teacher's vocabulary),
keeps the training rows, cuts each to the engine's first 128-piece window ([CLS] ... [SEP]) and
writes {"text", "logits"} per row. Resumable: rows already in OUT are not scored again, so a run
stopped part-way goes on where it stopped. --every N scores one training row in N (seeded by row
order, not by chance): the teacher costs ~60-90 rows/s on two cores, and the student only draws
~37k rows over its three epochs.

Usage: .venv/bin/python tools/teacher-scores.py MODEL_DIR ROWS_JSONL OUT_JSONL [--every N] [--only EMB_ROWS_JSONL]
"""
import argparse
import json
import os
import sys
import time

import numpy as np
import onnxruntime as ort

for part in ("lib", "3-train"):
    sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", part))
from finetune_minilm import CFG, cut  # noqa: E402  the engine's first window, as guard-minilm trains on it


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("model_dir")
    ap.add_argument("rows")
    ap.add_argument("out")
    ap.add_argument("--every", type=int, default=1)
    ap.add_argument("--batch", type=int, default=32)
    ap.add_argument("--only", default="", metavar="JSONL",
                    help="score only texts that are training rows of this file too (guard-use-lite's emb-rows.jsonl: the rows it trains on)")
    args = ap.parse_args()
    only = None
    if args.only:
        with open(args.only) as f:
            only = {r["text"] for r in map(json.loads, f) if r["split"] == "train"}

    done = set()
    if os.path.exists(args.out):
        with open(args.out) as f:
            done = {json.loads(line)["text"] for line in f if line.strip()}
    todo, seen, k = [], set(done), 0
    with open(args.rows) as f:
        for line in f:
            r = json.loads(line)
            if r["split"] != "train" or (only is not None and r["text"] not in only):
                continue
            k += 1
            if (k - 1) % args.every or r["text"] in seen:
                continue
            seen.add(r["text"])
            todo.append((r["text"], cut(r["ids"], CFG["max_len"])))
    todo.sort(key=lambda t: len(t[1]))  # similar lengths per batch: little padding
    print(f"teacher: {len(todo)} rows to score ({len(done)} already in {args.out})", flush=True)

    so = ort.SessionOptions()
    so.intra_op_num_threads, so.inter_op_num_threads = 2, 1
    session = ort.InferenceSession(os.path.join(args.model_dir, "onnx", "model_quantized.onnx"), so, providers=["CPUExecutionProvider"])
    t0 = time.time()
    with open(args.out, "a") as out:
        for b in range(0, len(todo), args.batch):
            part = todo[b : b + args.batch]
            width = max(len(ids) for _, ids in part)
            ids = np.zeros((len(part), width), np.int64)
            mask = np.zeros_like(ids)
            for j, (_, row) in enumerate(part):
                ids[j, : len(row)], mask[j, : len(row)] = row, 1
            logits = session.run(["logits"], {"input_ids": ids, "attention_mask": mask})[0]
            for (text, _), z in zip(part, logits):
                out.write(json.dumps({"text": text, "logits": [round(float(v), 5) for v in z]}) + "\n")
            if (b // args.batch) % 100 == 99:
                out.flush()
                print(f"teacher: {b + len(part)}/{len(todo)} rows, {time.time() - t0:.0f}s", flush=True)
    print(f"teacher: {len(todo)} rows in {time.time() - t0:.0f}s -> {args.out}", flush=True)


if __name__ == "__main__":
    main()
