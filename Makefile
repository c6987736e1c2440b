# The two commands: `make run` (set up, train if needed, serve) and `make test`.
SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV := .venv
PYTHON := $(VENV)/bin/python
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed-$(shell cat requirements.lock pyproject.toml | sha256sum | cut -c1-12)
WEB_DEPS := web/node_modules/.package-lock.json
TOOLS_INSTALLED := .venv-tools/.installed-$(shell cat requirements-tools.lock | sha256sum | cut -c1-12)

.PHONY: help venv tools-venv env model web nginx chromium kubectl run run-prod shell interactive test \
        test-unit test-data test-stories test-server test-browser test-production test-kubernetes \
        test-dialogues lint format types report transcripts dashboard eval-nlu eval-triage eval-answers bench bench-hostile profile \
        purge lock lock-tools clean

help:
	@echo "make run          set up, train if needed, start the bot (5005), actions (5055), demo page (8080)"
	@echo "make test         the whole test suite (installs what it needs, Chromium and nginx included)"
	@echo "make lint         ruff: lint rules and formatting;  make format: apply the formatting"
	@echo "make types        mypy on the project's code"
	@echo "make shell        chat in the terminal"
	@echo "make interactive  rasa interactive: correct the bot turn by turn, save new examples"
	@echo "make eval-nlu     NLU on a held-out split: per-intent F1, confusion matrix PNG (results/nlu_eval/)"
	@echo "make eval-triage  warning-sign vignettes: sensitivity, over-triage, miss-rate bound"
	@echo "make eval-answers judged answers (tests/answers): entry accuracy, honest gaps, misses CSV"
	@echo "make run-prod     production profile: nginx, 2 Rasa servers, PostgreSQL, Redis"
	@echo "make bench [BASELINE=main]  latency, throughput, start-up, memory and training figures"
	@echo "make bench-hostile [BASELINE=main]  time at the message cap, /version during floods, detector"
	@echo "make profile      py-spy on a Rasa server under load: where its CPU goes"
	@echo "make purge DAYS=N delete conversations older than N days (SQLite and PostgreSQL)"
	@echo "make test-dialogues [URL=https://...]  staff test dialogues (tests/dialogues/), HTML report"
	@echo "make report       NLU cross-validation: confusion matrix, histogram, F1 table, errors (results/)"
	@echo "make transcripts [FROM=2026-01-01] [TO=2026-12-31] [URGENT=1] [FALLBACK=1] [ENDPOINTS=endpoints.prod.yml]"
	@echo "make dashboard [FROM=2026-01-01] [TO=2026-12-31] [ENDPOINTS=endpoints.prod.yml]  staff dashboard (results/dashboard/)"

$(INSTALLED): requirements.lock pyproject.toml tools/make/make_venv.sh
	tools/make/make_venv.sh
	rm -f $(VENV)/.installed-* && touch $@

venv: $(INSTALLED)

# checkov, kubernetes-validate and py-spy, apart from Rasa's pins (requirements-tools.in).
$(TOOLS_INSTALLED): requirements-tools.lock tools/make/make_tools_venv.sh
	tools/make/make_tools_venv.sh
	rm -f .venv-tools/.installed-* && touch $@

tools-venv: $(TOOLS_INSTALLED)

# socket.io-client for the chat widget, from the npm registry with the lock file.
$(WEB_DEPS): web/package.json web/package-lock.json
	npm ci --prefix web --no-audit --no-fund

web: $(WEB_DEPS)

# Debian's packages the tests drive, installed as root: nginx for the production profile's
# reverse proxy, Chromium for the widget's browser tests (never a downloaded browser).
nginx:
	@command -v /usr/sbin/nginx >/dev/null || tools/make/apt_install.sh nginx-light

chromium:
	@command -v /usr/bin/chromium >/dev/null || tools/make/apt_install.sh chromium

# `kubectl kustomize` builds the Kubernetes manifests offline (deploy/kubernetes/).
kubectl:
	@command -v kubectl >/dev/null || tools/make/apt_install.sh kubectl

env: venv
	@tools/make/ensure_env.sh

model: venv
	@tools/make/train_if_needed.sh >/dev/null

run: venv env web
	deploy/run.sh

run-prod: venv env web nginx
	$(BIN)/metastases-run-prod

shell: venv env
	deploy/run.sh --shell

interactive: venv env
	deploy/run.sh --interactive

test: venv tools-venv env web nginx chromium kubectl
	tools/make/test.sh

test-unit: venv
	$(PYTHON) -m pytest -q tests/unit

test-data: venv
	tools/make/validate_data.sh

test-stories: venv model
	tools/make/test_stories.sh

test-server: venv env model
	$(PYTHON) -m pytest -q tests/server

test-browser: venv env model web chromium
	$(PYTHON) -m pytest -q -rA tests/browser

test-production: venv env model nginx web
	$(PYTHON) -m pytest -q -rA tests/production

test-kubernetes: venv tools-venv kubectl
	tools/make/check_kubernetes.sh
	$(PYTHON) -m pytest -q tests/unit/test_kubernetes.py

lint: venv
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: venv
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

types: venv
	$(BIN)/mypy

eval-nlu: venv
	$(BIN)/metastases-nlu-report --held-out

eval-triage: venv env model
	$(BIN)/metastases-eval-triage

eval-answers: venv env model
	$(BIN)/metastases-eval-answers

# BASELINE=<commit>: that commit's single-server figures too, side by side (tools/bench.py).
bench: venv env model nginx
	$(BIN)/metastases-bench $(if $(BASELINE),--baseline $(BASELINE)) $(BENCH_ARGS)

# Hostile input: time at the message cap, /version during a flood of huge messages, the
# detector on 10,000 characters before and after (docs/benchmarks.md).
bench-hostile: venv env model
	$(PYTHON) -m tools.bench_hostile $(if $(BASELINE),--baseline $(BASELINE))

# py-spy on a Rasa server under load: the shares of docs/benchmarks.md's profile.
profile: venv env model tools-venv
	$(BIN)/metastases-profile

DAYS ?= 365
purge: venv
	$(BIN)/metastases-purge --days $(DAYS)

# Staff tools (docs/staff.md).
test-dialogues: venv env model
	$(BIN)/metastases-test-dialogues $(if $(URL),--url $(URL))

report: venv
	$(BIN)/metastases-nlu-report

transcripts: venv env
	$(BIN)/metastases-transcripts $(if $(FROM),--from $(FROM)) $(if $(TO),--to $(TO)) \
	  $(if $(URGENT),--urgent-only) $(if $(FALLBACK),--fallback-only) $(if $(ENDPOINTS),--endpoints $(ENDPOINTS))

dashboard: venv env
	$(BIN)/metastases-dashboard $(if $(FROM),--from $(FROM)) $(if $(TO),--to $(TO)) \
	  $(if $(ENDPOINTS),--endpoints $(ENDPOINTS))

# Re-resolves requirements.in into requirements.lock in a scratch virtualenv.
lock:
	tools/make/lock.sh

lock-tools:
	LOCK_IN=requirements-tools.in LOCK_OUT=requirements-tools.lock tools/make/lock.sh

clean:
	rm -rf $(VENV) .venv-tools models results var .pytest_cache .ruff_cache .mypy_cache web/node_modules
