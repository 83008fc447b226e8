"""Study (not a stage): can onnxruntime's own quantizer give the batch-invariant int8 the guard needs?

Quantizes a model folder's fp32 onnx/model.onnx with onnxruntime.quantization.quantize_dynamic (int8
weights, activations quantized at run time) and compares it with the recipe's quantize.py file
(activations quantized per token): for N seeded val/test texts, each text's scores alone vs padded in
a batch of 16 of similar length. A verdict must not depend on batch-mates (DEVELOPERS.md), so the
quantizer that ships must keep that difference at float noise.

Usage: .venv/bin/python tools/compare-ort-quantizer.py <model-dir-with-fp32> <rows.jsonl> [N]
"""
import json
import os
import random
import sys
import tempfile

import numpy as np
import onnxruntime as ort
from onnxruntime.quantization import QuantType, quantize_dynamic


def session(path):
    so = ort.SessionOptions()
    so.intra_op_num_threads = 1
    return ort.InferenceSession(path, so, providers=["CPUExecutionProvider"])


def run(sess, batch):
    w = max(len(r) for r in batch)
    t = np.zeros((len(batch), w), dtype=np.int64)
    m = np.zeros_like(t)
    for i, r in enumerate(batch):
        t[i, : len(r)] = r
        m[i, : len(r)] = 1
    return 1 / (1 + np.exp(-sess.run(["logits"], {"input_ids": t, "attention_mask": m})[0]))


def batch_vs_single(sess, texts):
    single = np.stack([run(sess, [t])[0] for t in texts])
    order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
    worst = 0.0
    for s in range(0, len(order), 16):
        idx = order[s : s + 16]
        worst = max(worst, float(np.abs(run(sess, [texts[i] for i in idx]) - single[idx]).max()))
    return worst, single


def main():
    model_dir, rows_path = sys.argv[1], sys.argv[2]
    n = int(sys.argv[3]) if len(sys.argv) > 3 else 300
    rows = [json.loads(l) for l in open(rows_path)]
    pool = [r["ids"][:127] + [102] if len(r["ids"]) > 128 else r["ids"] for r in rows if r["split"] in ("val", "test")]
    texts = random.Random(7).sample(pool, n)
    fp32 = os.path.join(model_dir, "onnx", "model.onnx")
    with tempfile.TemporaryDirectory() as d:
        ortq = os.path.join(d, "ort_dynamic.onnx")
        quantize_dynamic(fp32, ortq, weight_type=QuantType.QInt8, per_channel=True)
        _, ref = batch_vs_single(session(fp32), texts)
        for name, path in (("onnxruntime quantize_dynamic (per-channel int8 weights)", ortq),
                           ("recipe quantize.py rowwise (per-token activations)", os.path.join(model_dir, "onnx", "model_quantized.onnx"))):
            worst, single = batch_vs_single(session(path), texts)
            print(f"{name}: {os.path.getsize(path) / 1e6:.1f} MB; max |score| batched vs alone {worst:.2e}; "
                  f"max |score| vs fp32 {float(np.abs(single - ref).max()):.3f}")


if __name__ == "__main__":
    main()
