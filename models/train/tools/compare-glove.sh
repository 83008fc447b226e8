#!/usr/bin/env bash
# Optional design comparison (not part of the shipped recipe; run after `pipeline.sh guard-bert-mini`, ~17 min on 2 cores):
# the shipped design vs the same transformer with random word embeddings instead of GloVe.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
export PYTHONPATH="$here/../lib:$here/../3-train" PYTHONHASHSEED=0
/usr/bin/python3 -W ignore "$here/../3-train/train_bert.py" --work "$here/../work" --variant aug --seed 1234 --no-glove
/usr/bin/python3 "$here/compare.py" "$here/../work" aug aug-noglove noaug
