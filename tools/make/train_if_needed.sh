#!/usr/bin/env bash
# Trains only when data, config, domain or the safety components changed; prints the
# path of the model to serve. Models are cached in models/ under their content hash.
set -euo pipefail
cd "$(dirname "$0")/../.."
source tools/make/rasa_env.sh

hash=$(tools/make/model_hash.sh)
model="models/model-$hash.tar.gz"
if [ ! -f "$model" ]; then
  echo "Training the model ($hash)..." >&2
  .venv/bin/rasa train --force --domain content/domain --fixed-model-name "model-$hash" --out models >&2
  # Keep the three newest models.
  ls -1t models/model-*.tar.gz | tail -n +4 | xargs -r rm -f
fi
echo "$model"
