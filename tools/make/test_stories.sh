#!/usr/bin/env bash
# Whole dialogues (tests/stories) against the trained model; any wrong prediction fails.
# Through metastases-rasa, as the servers run: with the Rasa fixes (assistant/rasa_fixes).
set -euo pipefail
cd "$(dirname "$0")/../.."
source tools/make/rasa_env.sh
model=$(tools/make/train_if_needed.sh)
.venv/bin/metastases-rasa test core --model "$model" --stories tests/stories \
  --fail-on-prediction-errors --out results/stories
