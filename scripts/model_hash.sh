#!/usr/bin/env bash
# A hash of everything a trained model depends on: data, config, domain, the custom
# components (safety/, topics/, matching/) with their reviewed YAML, and the locked dependencies.
set -euo pipefail
cd "$(dirname "$0")/.."
find config.yml domain.yml requirements.lock data safety topics matching -type f \
    \( -name '*.yml' -o -name '*.yaml' -o -name '*.py' -o -name '*.lock' \) \
    -not -path '*/__pycache__/*' -print0 \
  | sort -z | xargs -0 sha256sum | sha256sum | cut -c1-16
