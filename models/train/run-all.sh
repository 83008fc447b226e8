#!/usr/bin/env bash
# Both shipped models from ../shared/data in one command, seeded, CPU only:
# design (b) guard-bert-mini (run.sh), then design (a) guard-use-lite (run-use-lite.sh, which
# compares itself with (b) on the same split). ~60 min on the 2-core build machine.
#   bash models/train/run-all.sh [data-dir]      (or: npm run train)
# Environment variables of either script pass through (SKIP_ABLATION, FRAMED_BENIGN, USE_AUG_V2, USE_FINETUNE).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
started=$(date +%s)
bash "$here/run.sh" "$@"
bash "$here/run-use-lite.sh" "$@"
echo
echo "both models in $(( $(date +%s) - started )) s"
