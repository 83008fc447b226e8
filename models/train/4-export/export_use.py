"""Stage 4 (export), guard-use-lite: the shipped classifier = ported USE-lite encoder (as ported, or
as fine-tuned when the variant's folder holds an encoder.pt) + trained head, exported as ONNX fp32
(inputs input_ids + attention_mask, output logits [batch, 4]) in models/guard-use-lite/onnx/ with
the folder's config.json and tokenizer files; plus what stage 5 (5-measure/measure.mjs) needs:
1,000 PyTorch reference logits (batch of one) and the val/test rows with their USE token ids, under
<work>/verify/. fp16 and int8 come next, from the fp32 file (quantize.py).

Usage: /usr/bin/python3 export_use.py --dist DIST --work WORK_USE --variant V --model-dir DIR --seed S
"""
import argparse
import json
import os
import random
import shutil

import torch
from torch import nn

from head import CFG, Head
from metrics import LABELS
from use_port import UseLiteEncoder, export_onnx, load_tfjs_weights


class GuardUseLite(nn.Module):
    def __init__(self, encoder, head):
        super().__init__()
        self.encoder, self.head = encoder, head

    def forward(self, input_ids, attention_mask):
        return self.head(self.encoder(input_ids, attention_mask))


def write_model_files(W, M):
    """config.json and the tokenizer files of the model folder: what loads it (the engine, transformers.js, score-windows.ts)."""
    # model_type/architectures say "bert" only so transformers.js loads the folder as a
    # text-classification model (it just runs the ONNX graph); the network is USE-lite.
    config = {"architectures": ["BertForSequenceClassification"], "model_type": "bert",
              "loader_note": "model_type 'bert' is a loader shim for transformers.js; the network is USE-lite + head (MODEL_CARD.md)",
              "problem_type": "multi_label_classification",
              "id2label": {str(i): l for i, l in enumerate(LABELS)}, "label2id": {l: i for i, l in enumerate(LABELS)},
              "vocab_size": 8002, "hidden_size": 512, "num_hidden_layers": 2, "num_attention_heads": 4,
              "max_position_embeddings": 128, "pad_token_id": 0, "pooling": "masked_mean + tanh 512 + l2",
              "head": {"hidden": CFG["hidden"], "activation": "relu"}}
    with open(os.path.join(M, "config.json"), "w") as f:
        json.dump(config, f, indent=2)
        f.write("\n")
    for fn in ("tokenizer.json", "tokenizer_config.json"):
        shutil.copyfile(os.path.join(W, fn), os.path.join(M, fn))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--dist", required=True)
    ap.add_argument("--work", required=True)
    ap.add_argument("--variant", required=True)
    ap.add_argument("--model-dir", required=True)
    ap.add_argument("--seed", type=int, default=1234)
    args = ap.parse_args()
    torch.set_num_threads(2)
    head = Head(CFG["hidden"], CFG["dropout"])
    head.load_state_dict(torch.load(os.path.join(args.work, args.variant, "head.pt")))
    encoder = UseLiteEncoder(load_tfjs_weights(args.dist))
    tuned = os.path.join(args.work, args.variant, "encoder.pt")
    if os.path.exists(tuned):  # finetune.py's variant: the encoder was trained too
        encoder.load_state_dict(torch.load(tuned))
    model = GuardUseLite(encoder, head).eval()
    onnx_dir = os.path.join(args.model_dir, "onnx")
    os.makedirs(onnx_dir, exist_ok=True)
    fp32 = os.path.join(onnx_dir, "model.onnx")
    export_onnx(model, fp32, "logits")

    rows = [json.loads(l) for l in open(os.path.join(args.work, "emb-rows.jsonl"))]
    evalrows = [r for r in rows if r["split"] != "train"]
    vdir = os.path.join(args.work, "verify")
    os.makedirs(os.path.join(vdir, "aug"), exist_ok=True)
    with open(os.path.join(vdir, "rows.jsonl"), "w") as f:
        for r in evalrows:
            f.write(json.dumps({"ids": r["ids"], "y": r["y"], "split": r["split"], "source": r["source"], "category": r.get("category")}) + "\n")
    rng = random.Random(args.seed + 7)
    ref = rng.sample([r for r in evalrows if r["split"] in ("val", "test") and r["ids"]], 1000)
    out = []
    with torch.no_grad():
        for r in ref:
            t = torch.tensor([r["ids"]], dtype=torch.int64)
            out.append({"ids": r["ids"], "logits": [float(v) for v in model(t, torch.ones_like(t))[0]], "source": r["source"]})
    json.dump({"labels": LABELS, "rows": out}, open(os.path.join(vdir, "aug", "reference.json"), "w"))
    write_model_files(args.work, args.model_dir)
    print(f"exported {onnx_dir} (variant {args.variant}); 1,000 PyTorch reference logits in {vdir}", flush=True)


if __name__ == "__main__":
    main()
