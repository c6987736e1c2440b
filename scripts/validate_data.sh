#!/usr/bin/env bash
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/rasa_env.sh
.venv/bin/python scripts/validate_data.py
