#!/usr/bin/env bash
# The whole test suite. Runs every step, then fails if any step failed.
set -uo pipefail
cd "$(dirname "$0")/.."
source scripts/rasa_env.sh
mkdir -p results

failed=()
step() {
  local name=$1; shift
  echo
  echo "=== $name"
  local started=$SECONDS
  if "$@"; then
    echo "=== $name: passed ($((SECONDS - started)) s)"
  else
    echo "=== $name: FAILED ($((SECONDS - started)) s)"
    failed+=("$name")
  fi
}

step "model (trained only if data, config or domain changed)" scripts/train_if_needed.sh
step "unit tests" .venv/bin/python -m pytest -q tests/unit
step "rasa data validate" scripts/validate_data.sh
step "dialogue stories" scripts/test_stories.sh
step "server tests (REST, HTTP API, Messenger, socket.io, bad input, action server down, vignettes, topics)" \
  .venv/bin/python -m pytest -q -rA -s tests/server
step "staff test dialogues (tests/dialogues, against the trained model)" .venv/bin/python scripts/test_dialogues.py
step "browser tests (chat widget in Chromium)" .venv/bin/python -m pytest -q -rA tests/browser
step "production profile (nginx, 2 servers, PostgreSQL, Redis: load, faults, security)" \
  .venv/bin/python -m pytest -q -rA -s tests/production

echo
if [ ${#failed[@]} -gt 0 ]; then
  printf 'FAILED: %s\n' "${failed[@]}"
  exit 1
fi
echo "All test steps passed."
