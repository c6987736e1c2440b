# The two commands: `make run` (set up, train if needed, serve) and `make test`.
SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV := .venv
PYTHON := $(VENV)/bin/python
RASA := $(VENV)/bin/rasa
INSTALLED := $(VENV)/.installed-$(shell sha256sum requirements.lock | cut -c1-12)
WEB_DEPS := web/node_modules/.package-lock.json

.PHONY: help venv env model web nginx run run-prod shell interactive test test-unit test-data test-stories \
        test-server test-browser test-production test-dialogues report transcripts eval-nlu eval-triage \
        bench purge lock clean

help:
	@echo "make run          set up, train if needed, start the bot (5005), actions (5055), demo page (8080)"
	@echo "make test         the whole test suite"
	@echo "make test-browser the chat widget in Chromium (apt-get install -y chromium)"
	@echo "make shell        chat in the terminal"
	@echo "make interactive  rasa interactive: correct the bot turn by turn, save new examples"
	@echo "make eval-nlu     NLU on a held-out split: per-intent F1, confusion matrix PNG (results/nlu_eval/)"
	@echo "make eval-triage  warning-sign vignettes: sensitivity, over-triage, miss-rate bound"
	@echo "make run-prod     production profile: nginx, 2 Rasa servers, PostgreSQL, Redis"
	@echo "make bench        latency, throughput, start-up, memory and training figures"
	@echo "make purge DAYS=N delete conversations older than N days (SQLite and PostgreSQL)"
	@echo "make test-dialogues [URL=https://...]  staff test dialogues (tests/dialogues/), HTML report"
	@echo "make report       NLU cross-validation: confusion matrix, histogram, F1 table, errors (results/)"
	@echo "make transcripts [FROM=2026-01-01] [TO=2026-12-31] [URGENT=1] [FALLBACK=1] [ENDPOINTS=endpoints.prod.yml]"

$(INSTALLED): requirements.lock scripts/make_venv.sh
	scripts/make_venv.sh
	rm -f $(VENV)/.installed-* && touch $@

venv: $(INSTALLED)

# socket.io-client for the chat widget, from the npm registry with the lock file.
$(WEB_DEPS): web/package.json web/package-lock.json
	npm ci --prefix web --no-audit --no-fund

web: $(WEB_DEPS)

# Debian's nginx for the production profile's reverse proxy (installed as root).
nginx:
	@command -v /usr/sbin/nginx >/dev/null || (apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx-light >/dev/null)

env: venv
	@scripts/ensure_env.sh

model: venv
	@scripts/train_if_needed.sh >/dev/null

run: venv env web
	scripts/run.sh

run-prod: venv env web nginx
	$(PYTHON) scripts/run_prod.py

shell: venv env
	scripts/run.sh --shell

interactive: venv env
	scripts/run.sh --interactive

test: venv env model web nginx
	scripts/test.sh

test-unit: venv
	$(PYTHON) -m pytest -q tests/unit

test-data: venv
	scripts/validate_data.sh

test-stories: venv model
	scripts/test_stories.sh

test-server: venv env model
	$(PYTHON) -m pytest -q tests/server

test-browser: venv env model web
	$(PYTHON) -m pytest -q -rA tests/browser

test-production: venv env model nginx
	$(PYTHON) -m pytest -q -rA tests/production

eval-nlu: venv
	$(PYTHON) scripts/nlu_report.py --held-out

eval-triage: venv env model
	$(PYTHON) scripts/eval_triage.py

bench: venv env model nginx
	$(PYTHON) scripts/bench.py

DAYS ?= 365
purge: venv
	$(PYTHON) scripts/purge.py --days $(DAYS)

# Staff tools (docs/staff.md).
test-dialogues: venv env model
	$(PYTHON) scripts/test_dialogues.py $(if $(URL),--url $(URL))

report: venv
	$(PYTHON) scripts/nlu_report.py

transcripts: venv env
	$(PYTHON) scripts/transcripts.py $(if $(FROM),--from $(FROM)) $(if $(TO),--to $(TO)) \
	  $(if $(URGENT),--urgent-only) $(if $(FALLBACK),--fallback-only) $(if $(ENDPOINTS),--endpoints $(ENDPOINTS))

# Re-resolves requirements.in into requirements.lock in a scratch virtualenv.
lock:
	scripts/lock.sh

clean:
	rm -rf $(VENV) models results var .pytest_cache web/node_modules
