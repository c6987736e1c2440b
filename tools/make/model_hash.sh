#!/usr/bin/env bash
# A hash of everything a trained model depends on: training data, config, the reviewed content
# (domain, warning signs, topic patterns), the code of the Rasa-process plugins (assistant/) and
# the locked dependencies.
set -euo pipefail
cd "$(dirname "$0")/../.."
find config.yml requirements.lock data content assistant -type f \
    \( -name '*.yml' -o -name '*.yaml' -o -name '*.py' -o -name '*.lock' \) \
    -not -path '*/__pycache__/*' -print0 \
  | sort -z | xargs -0 sha256sum | sha256sum | cut -c1-16
