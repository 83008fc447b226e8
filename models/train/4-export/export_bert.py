"""Stage 4 (export), guard-bert-mini: the trained weights (3-train's <work>/aug/model.pt) as the
shipped folder's ONNX fp32 file, in the layout transformers.js loads, with its config.json and
tokenizer files; and PyTorch reference logits of 1,000 val/test texts for stage 5's parity check.
fp16 and int8 come next, from the fp32 file (quantize.py).

The two parts of the trained word embedding (frozen GloVe x projection + residual table) are
folded into one [30522, 128] table, so the file is a plain BERT Gather.

Usage: /usr/bin/python3 export_bert.py --work WORK --model-dir MODEL_DIR --tokenizer-dir DIR [--seed 1234]
"""
import argparse
import json
import os
import random
import shutil

import numpy as np
import torch
from torch import nn

from metrics import LABELS
from train_bert import VOCAB, GuardBert


class ExportModel(nn.Module):
    """The trained model with the embedding parts folded into one table (what ships)."""

    def __init__(self, m):
        super().__init__()
        self.m = m
        self.word = nn.Embedding(VOCAB, m.pos.weight.shape[1])
        with torch.no_grad():
            self.word.weight.copy_(m.word_table())

    def forward(self, input_ids, attention_mask):
        return self.m.encode(self.word(input_ids), attention_mask)


def export_onnx(model, rows, model_dir, out_dir, seed):
    model.eval()
    em = ExportModel(model).eval()
    onnx_dir = os.path.join(model_dir, "onnx")
    os.makedirs(onnx_dir, exist_ok=True)
    ids = torch.tensor([[101, 7592, 2088, 102], [101, 7592, 102, 0]], dtype=torch.int64)
    mask = (ids != 0).to(torch.int64)
    fp32 = os.path.join(onnx_dir, "model.onnx")
    torch.onnx.export(em, (ids, mask), fp32, opset_version=14, do_constant_folding=True, dynamo=False,
                      input_names=["input_ids", "attention_mask"], output_names=["logits"],
                      dynamic_axes={"input_ids": {0: "batch", 1: "sequence"},
                                    "attention_mask": {0: "batch", 1: "sequence"},
                                    "logits": {0: "batch"}})

    # Reference scores for the parity check: 1,000 val/test texts (seeded), PyTorch logits of the
    # trained model (not the folded copy), batch of one each.
    rng = random.Random(seed + 7)
    pool = [r for r in rows if r["split"] in ("val", "test")]
    ref = rng.sample(pool, 1000)
    with torch.no_grad():
        out = []
        for r in ref:
            t = torch.tensor([r["ids"]], dtype=torch.int64)
            z = model(t, torch.ones_like(t))[0]
            out.append({"ids": r["ids"], "logits": [float(v) for v in z], "source": r["source"]})
        fold = float(max((em(torch.tensor([r["ids"]]), torch.ones(1, len(r["ids"]), dtype=torch.int64))[0]
                          - torch.tensor(o["logits"])).abs().max() for r, o in zip(ref[:100], out[:100])))
    json.dump({"labels": LABELS, "rows": out, "fold_max_abs_logit_diff": fold},
              open(os.path.join(out_dir, "reference.json"), "w"))
    print(f"exported to {onnx_dir}; folded-embedding max |logit diff| on 100 texts: {fold:.2e}", flush=True)


def write_model_files(cfg, model_dir, tokenizer_dir):
    """config.json and the tokenizer files: what loads the folder (the engine, transformers.js)."""
    config = {
        "architectures": ["BertForSequenceClassification"], "model_type": "bert",
        "problem_type": "multi_label_classification",
        "id2label": {str(i): l for i, l in enumerate(LABELS)}, "label2id": {l: i for i, l in enumerate(LABELS)},
        "vocab_size": VOCAB, "hidden_size": cfg["hidden"], "num_hidden_layers": cfg["layers"],
        "num_attention_heads": cfg["heads"], "intermediate_size": cfg["intermediate"], "hidden_act": "gelu",
        "max_position_embeddings": cfg["max_len"], "layer_norm_eps": 1e-12, "pad_token_id": 0,
        "hidden_dropout_prob": cfg["dropout"], "attention_probs_dropout_prob": cfg["dropout"],
        "pooling": "masked_mean", "type_vocab_size": 0,
    }
    with open(os.path.join(model_dir, "config.json"), "w") as f:
        json.dump(config, f, indent=2)
        f.write("\n")
    shutil.copyfile(os.path.join(tokenizer_dir, "tokenizer.json"), os.path.join(model_dir, "tokenizer.json"))
    tc = json.load(open(os.path.join(tokenizer_dir, "tokenizer_config.json")))
    tc["model_max_length"] = cfg["max_len"]  # the model has 256 positions; longer text is windowed by the engine
    with open(os.path.join(model_dir, "tokenizer_config.json"), "w") as f:
        json.dump(tc, f, indent=2)
        f.write("\n")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--work", required=True)
    ap.add_argument("--model-dir", required=True)
    ap.add_argument("--tokenizer-dir", required=True)
    ap.add_argument("--seed", type=int, default=1234)
    args = ap.parse_args()
    torch.set_num_threads(2)
    out_dir = os.path.join(args.work, "aug")
    cfg = json.load(open(os.path.join(out_dir, "train.json")))["config"]
    glove = np.fromfile(os.path.join(args.work, "glove.f32"), dtype="<f4").reshape(VOCAB, -1)
    model = GuardBert(cfg, glove)
    model.load_state_dict(torch.load(os.path.join(out_dir, "model.pt")))
    rows = [json.loads(l) for l in open(os.path.join(args.work, "rows.jsonl"))]
    export_onnx(model, rows, args.model_dir, out_dir, args.seed)
    write_model_files(cfg, args.model_dir, args.tokenizer_dir)


if __name__ == "__main__":
    main()
