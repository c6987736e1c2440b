#!/usr/bin/env bash
set -euo pipefail
cd "$(dirname "$0")/../.."
source tools/make/rasa_env.sh
.venv/bin/metastases-validate-data
