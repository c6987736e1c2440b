#!/usr/bin/env bash
# The whole test suite. Runs every step, then fails if any step failed.
set -uo pipefail
cd "$(dirname "$0")/../.."
source tools/make/rasa_env.sh
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

# Training keeps about 1.3 of the 2 cores busy: the checks that need no model run beside it.
training_log=results/training.log
tools/make/train_if_needed.sh >"$training_log" 2>&1 &
training=$!
# Interrupted (Ctrl-C), the suite does not leave the training running behind it.
trap 'kill "$training" 2>/dev/null' EXIT
trained() {
  local status=0
  wait "$training" || status=$?
  cat "$training_log"
  echo "(the model was ready $SECONDS s after the suite started)"
  return "$status"
}

step "lint (ruff check and format)" make --no-print-directory lint
step "types (mypy)" make --no-print-directory types
step "unit tests" .venv/bin/python -m pytest -q -rs tests/unit
step "rasa data validate" tools/make/validate_data.sh
step "Kubernetes manifests and Dockerfile (kubectl kustomize, kubernetes-validate, checkov)" \
  tools/make/check_kubernetes.sh
step "model (trained only if data, config or content changed)" trained
step "dialogue stories" tools/make/test_stories.sh
step "server tests (REST, HTTP API, Messenger, socket.io, bad input, action server down, vignettes, topics)" \
  .venv/bin/python -m pytest -q -rA -s tests/server
step "staff test dialogues (tests/dialogues, against the trained model)" .venv/bin/metastases-test-dialogues
step "browser tests (chat widget in Chromium)" .venv/bin/python -m pytest -q -rA tests/browser
step "production profile (nginx, 2 servers, PostgreSQL, Redis: load, faults, security)" \
  .venv/bin/python -m pytest -q -rA -s tests/production

echo
if [ ${#failed[@]} -gt 0 ]; then
  printf 'FAILED: %s\n' "${failed[@]}"
  exit 1
fi
echo "All test steps passed."
