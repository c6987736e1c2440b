#!/usr/bin/env bash
# Creates .venv-tools (checkov, kubernetes-validate, py-spy) from requirements-tools.lock,
# apart from .venv: checkov's dependencies clash with Rasa's pins.
set -euo pipefail
cd "$(dirname "$0")/../.."
python=$(tools/make/find_python310.sh)
if [ ! -x .venv-tools/bin/python ]; then
  "$python" -m venv .venv-tools
fi
.venv-tools/bin/python -m pip install --quiet --upgrade "pip==24.2"
.venv-tools/bin/python -m pip install --quiet -r requirements-tools.lock
.venv-tools/bin/python -m pip check
