"""Study (not a stage): weight-space ensembles of a fine-tuned guard-minilm and the pretrained
encoder it started from (WiSE-FT, Wortsman et al. 2022: interpolating the weights keeps more of
what pretraining learned, which is known to help on styles the fine-tuning data lacks). For each
alpha, the encoder's weights are (1 - alpha) * pretrained + alpha * fine-tuned, the head stays the
fine-tuned one; the network is exported to ONNX as stage 4 does and every val/test row scored, so
tools/per-source-study.py can read the scores.

Usage: .venv/bin/python tools/wise-ft.py <work folder> <out folder> ALPHA [ALPHA ...]
  (reads <work>/pretrained.json, <work>/prep/minilm/model/, <work>/prep/rows.jsonl, prep/framed_eval.jsonl;
   writes <out>/alpha-<A>/scores.jsonl (val/test rows, in rows.jsonl's order, as 5-measure's score
   files), framed.jsonl (the eval-only framed rows) and model/ (the classifier in save_classifier's
   layout: stage 4 exports it from a work folder's prep/minilm/model))
"""
import json
import os
import sys
import time

import torch
from safetensors.torch import load_file

from export_minilm import export_onnx, load_classifier, onnx_scores
from finetune_minilm import save_classifier


def main():
    work, out = sys.argv[1:3]
    alphas = [float(a) for a in sys.argv[3:]]
    torch.set_num_threads(2)
    pre_dir = json.load(open(os.path.join(work, "pretrained.json")))["model_dir"]
    pretrained = load_file(os.path.join(pre_dir, "model.safetensors"))
    model, meta = load_classifier(os.path.join(work, "prep", "minilm", "model"))
    tuned = {k: v.clone() for k, v in model.state_dict().items()}
    rows = [json.loads(l) for l in open(os.path.join(work, "prep", "rows.jsonl"))]
    ev = [r for r in rows if r["split"] in ("val", "test")]
    n_ev = len(ev)
    ev += [json.loads(l) for l in open(os.path.join(work, "prep", "framed_eval.jsonl"))]
    for alpha in alphas:
        t0 = time.time()
        mixed, matched = {}, 0
        for k, v in tuned.items():
            # The classifier's encoder.* keys are the checkpoint's own names (with or without "bert." in front).
            name = k[len("encoder."):] if k.startswith("encoder.") else None
            pre = None if name is None else pretrained.get(name, pretrained.get("bert." + name))
            if pre is None:
                mixed[k] = v  # the head, and buffers the checkpoint does not hold
            else:
                mixed[k] = (1 - alpha) * pre.to(v.dtype) + alpha * v
                matched += 1
        model.load_state_dict(mixed)
        folder = os.path.join(out, f"alpha-{alpha:g}")
        os.makedirs(folder, exist_ok=True)
        path = os.path.join(folder, "model.onnx")
        export_onnx(model, path)
        z = onnx_scores(path, ev, meta["max_len"])
        for name, part in (("scores.jsonl", slice(0, n_ev)), ("framed.jsonl", slice(n_ev, None))):
            with open(os.path.join(folder, name), "w") as f:
                for r, v in zip(ev[part], z[part]):
                    f.write(json.dumps({"split": r["split"], "source": r["source"], "category": r.get("category"),
                                        "y": r["y"], "logits": [round(float(x), 6) for x in v]}) + "\n")
        os.remove(path)
        save_classifier(model, os.path.join(folder, "model"), meta)
        print(f"alpha {alpha:g}: {matched} encoder tensors interpolated; {len(ev)} rows scored in {time.time() - t0:.0f}s", flush=True)


if __name__ == "__main__":
    main()
