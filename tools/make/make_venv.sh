#!/usr/bin/env bash
# Creates .venv with Python 3.10 and installs the locked dependencies.
set -euo pipefail
cd "$(dirname "$0")/../.."

python=$(tools/make/find_python310.sh)
if [ ! -x .venv/bin/python ] || ! .venv/bin/python -c 'import sys; sys.exit(sys.version_info[:2] != (3, 10))'; then
  rm -rf .venv
  "$python" -m venv .venv
fi
.venv/bin/python -m pip install --quiet --upgrade "pip==24.2" "setuptools==70.3.0" "wheel==0.45.1"
.venv/bin/python -m pip install --quiet -r requirements.lock
.venv/bin/python -m pip check
# The project itself, editable: its packages importable from anywhere, its console scripts on PATH.
.venv/bin/python -m pip install --quiet --no-deps --no-build-isolation -e .
