"""Study (not a stage): what does trimming guard-minilm's 30,522-piece vocabulary cost? The
word-embedding table is half the encoder (11.7M of 22.7M weights; 11.8 MB of the 23.1 MB int8
file), and most pieces never occur in what the guard reads.

What is kept: lib/vocab_trim.py (counts over the training split's token ids, the augmented rows
and the everyday-chat rows included). tools/trim-work.py makes a work folder that trains on the
trimmed vocabulary instead of trimming after training.

The trimmed network (the fine-tuned classifier with the kept embedding rows) is exported to ONNX
fp32 and int8 (4-export/quantize.py); every val/test row is re-tokenized with the trimmed tokenizer
and scored (fp32), against the untrimmed fp32 scores (<work>/prep/minilm/scores.jsonl).

Usage: .venv/bin/python tools/vocab-trim.py <work folder> <out folder> [MIN_COUNT ...]
  (writes <out>/min-<N>/: tokenizer.json, onnx/model.onnx, onnx/model_quantized.onnx, scores.jsonl)
"""
import json
import os
import sys
import time
from collections import Counter

import numpy as np
import torch
from torch import nn

from export_minilm import export_onnx, load_classifier, onnx_scores
from finetune_minilm import cut
from quantize import to_int8
from vocab_trim import trimmed_tokenizer, trimmed_vocab


def main():
    from tokenizers import Tokenizer
    work, out = sys.argv[1:3]
    mins = [int(a) for a in sys.argv[3:]] or [1]
    torch.set_num_threads(2)
    tok_json = json.load(open(os.path.join(work, "tokenizer", "tokenizer.json")))
    rows = [json.loads(l) for l in open(os.path.join(work, "prep", "rows.jsonl"))]
    counts = Counter(i for r in rows if r["split"] == "train" for i in r["ids"])
    ev = [r for r in rows if r["split"] in ("val", "test")]
    base = [json.loads(l) for l in open(os.path.join(work, "prep", "minilm", "scores.jsonl"))][: len(ev)]
    zb = np.array([b["logits"] for b in base], dtype=np.float32)
    model, meta = load_classifier(os.path.join(work, "prep", "minilm", "model"))
    full = model.encoder.embeddings.word_embeddings.weight.detach().clone()
    for min_count in mins:
        t0 = time.time()
        keep = trimmed_vocab(tok_json["model"]["vocab"], counts, min_count)
        folder = os.path.join(out, f"min-{min_count}")
        os.makedirs(os.path.join(folder, "onnx"), exist_ok=True)
        tj = trimmed_tokenizer(tok_json, keep)
        with open(os.path.join(folder, "tokenizer.json"), "w") as f:
            json.dump(tj, f)
        tok = Tokenizer.from_str(json.dumps(tj))
        # Cut as stage 2 cut the rows (256 pieces), so only the vocabulary differs.
        ids = [cut(e.ids, 256) for e in tok.encode_batch([r["text"] for r in ev])]
        remap = {old: new for new, old in enumerate(keep)}
        unchanged = np.array([[remap.get(i, -1) for i in r["ids"]] == n for r, n in zip(ev, ids)])
        changed = int((~unchanged).sum())
        pieces_old = sum(len(r["ids"]) for r in ev)
        pieces_new = sum(len(n) for n in ids)
        model.encoder.embeddings.word_embeddings = nn.Embedding.from_pretrained(full[keep].clone(), freeze=True, padding_idx=0)
        model.encoder.config.vocab_size = len(keep)
        path = os.path.join(folder, "onnx", "model.onnx")
        export_onnx(model, path)
        to_int8(path, os.path.join(folder, "onnx", "model_quantized.onnx"))
        z = onnx_scores(path, [{"ids": n} for n in ids], meta["max_len"])
        with open(os.path.join(folder, "scores.jsonl"), "w") as f:
            for r, v in zip(ev, z):
                f.write(json.dumps({"split": r["split"], "source": r["source"], "y": r["y"], "logits": [round(float(x), 6) for x in v]}) + "\n")
        print(f"min count {min_count}: {len(keep)} of {len(tok_json['model']['vocab'])} pieces kept; "
              f"int8 file {os.path.getsize(os.path.join(folder, 'onnx', 'model_quantized.onnx')) / 1e6:.1f} MB, "
              f"tokenizer.json {os.path.getsize(os.path.join(folder, 'tokenizer.json')) / 1e6:.2f} MB; "
              f"val/test rows tokenized differently {changed} of {len(ev)} ({100 * changed / len(ev):.1f}%), pieces {pieces_old} -> {pieces_new}; "
              f"max |logit diff| on rows tokenized alike {np.abs(z[unchanged] - zb[unchanged]).max():.2e}, on the others {np.abs(z[~unchanged] - zb[~unchanged]).max():.2f}; "
              f"{time.time() - t0:.0f}s", flush=True)


if __name__ == "__main__":
    main()
