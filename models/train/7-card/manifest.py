"""What both model cards write into manifest.json the same way: the fixed head, the file list with
sizes and SHA-256, the shipped thresholds as probabilities, per-label test metrics and the floors."""
import json
import os

import numpy as np

from hashing import sha256
from metrics import LABELS, sigmoid

SHIPPED_FILES = ["config.json", "tokenizer.json", "tokenizer_config.json", "onnx/model.onnx", "onnx/model_fp16.onnx",
                 "onnx/model_quantized.onnx", "MODEL_CARD.md"]


def manifest_head(name, max_length):
    return {
        "name": name, "version": "0.1.0", "generated_by": f"models/train/pipeline.sh {name} (do not edit by hand)",
        "task": "text-classification", "problem_type": "multi_label_classification", "labels": LABELS,
        "score": "sigmoid(logit) per label; a label fires when score >= threshold",
        "max_length": max_length, "inputs": ["input_ids", "attention_mask"], "output": "logits [batch, 4]",
        "dtypes": {"fp32": "onnx/model.onnx", "fp16": "onnx/model_fp16.onnx", "q8": "onnx/model_quantized.onnx"},
        "backends": {"wasm": "q8", "webgpu": "fp16 (weights fp16, compute fp32: no shader-f16 needed)"},
    }


def model_files(model_dir, names=SHIPPED_FILES):
    """The folder's files (`names`) as the engine verifies them; the card must be written first."""
    return [{"path": rel, "bytes": os.path.getsize(os.path.join(model_dir, rel)), "sha256": sha256(os.path.join(model_dir, rel))}
            for rel in names]


def shipped_thresholds(th):
    """Stage 6's logit thresholds as the manifest ships them: `default` is the balanced preset's."""
    return {l: {"default": float(sigmoid(th[l]["any_label"])), "any_label_2pct": float(sigmoid(th[l]["any_label"])),
                "fpr_1pct": float(sigmoid(th[l]["fpr_1pct"])),
                "fpr_0_1pct": float(sigmoid(th[l]["fpr_0_1pct"])), "logit_fpr_1pct": th[l]["fpr_1pct"],
                "logit_fpr_0_1pct": th[l]["fpr_0_1pct"]} for l in LABELS}


def per_label(ev):
    """`evaluate`'s per-label metrics without the per-category recall (the card has it)."""
    return {l: {k: v for k, v in ev[l].items() if k != "recall_by_category"} for l in LABELS}


def wasm_latency(verify):
    """The latency floor is on WASM; a verify.json from before measure.mjs timed WASM has only the native figure."""
    return verify.get("latency_wasm") or {"int8": {"p50_ms": float("inf")}, "runtime": "not measured"}


def floors_met(ev, model_dir, verify):
    return {
        "injection_recall_at_1pct_fpr>=0.90": ev["injection"]["recall_at_1pct_fpr"] >= 0.90,
        "jailbreak_recall_at_1pct_fpr>=0.90": ev["jailbreak"]["recall_at_1pct_fpr"] >= 0.90,
        "harmful_recall_at_2pct_fpr>=0.90": ev["harmful"]["recall_at_2pct_fpr"] >= 0.90,
        "toxic_roc_auc>=0.95": ev["toxic"]["roc_auc"] >= 0.95,
        "int8_file<=10MB": os.path.getsize(os.path.join(model_dir, "onnx", "model_quantized.onnx")) <= 10 * 1024 * 1024,
        "int8_p50_64_tokens<=5ms (onnxruntime-web WASM, 1 thread)": wasm_latency(verify)["int8"]["p50_ms"] <= 5.0,
    }


def write_manifest(model_dir, manifest):
    with open(os.path.join(model_dir, "manifest.json"), "w") as f:
        json.dump(manifest, f, indent=2)
        f.write("\n")


def reply_figures(rows, y, z, th_out, th):
    """Adds to stage 6's reply thresholds (`thresholds_output`) their test figures on the test
    replies: harmful replies caught, benign replies flagged, and replies caught at the input's
    `default` threshold instead."""
    test_replies = np.array([r["split"] == "test" and r["source"].endswith(":reply") for r in rows])
    benign = y.sum(1) == 0
    for l, v in th_out.items():
        k = LABELS.index(l)
        tpos, tben = test_replies & (y[:, k] == 1), test_replies & benign
        v["test_recall"] = float((z[tpos, k] >= v["logit"]).mean()) if tpos.any() else None
        v["test_benign_reply_fpr"] = float((z[tben, k] >= v["logit"]).mean()) if tben.any() else None
        v["test_recall_at_input_default"] = float((z[tpos, k] >= th[l]["any_label"]).mean())
    return th_out


def manifest_thresholds_output(th_out):
    """The reply thresholds as the manifest ships them (`thresholds_output`; the presets' output direction)."""
    return {l: {"default": float(sigmoid(v["logit"])), "logit": v["logit"], "target": f"{v['target_fpr']:.0%} of benign validation replies",
                "val_recall": v["val_recall"], "test_recall": v["test_recall"], "test_benign_reply_fpr": v["test_benign_reply_fpr"],
                "test_recall_at_input_default": v["test_recall_at_input_default"]} for l, v in th_out.items()}
