# The two commands: `make run` (set up, train if needed, serve) and `make test`.
SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV := .venv
PYTHON := $(VENV)/bin/python
RASA := $(VENV)/bin/rasa
INSTALLED := $(VENV)/.installed-$(shell sha256sum requirements.lock | cut -c1-12)

.PHONY: help venv env model run shell test test-unit test-data test-stories test-server \
        eval-nlu eval-triage bench lock clean

help:
	@echo "make run          set up, train if needed, start the bot (5005), actions (5055), demo page (8080)"
	@echo "make test         the whole test suite"
	@echo "make shell        chat in the terminal"
	@echo "make eval-nlu     NLU evaluation on a held-out split (per-intent F1, confusion matrix PNG)"
	@echo "make eval-triage  warning-sign vignettes: sensitivity, over-triage, miss-rate bound"

$(INSTALLED): requirements.lock scripts/make_venv.sh
	scripts/make_venv.sh
	rm -f $(VENV)/.installed-* && touch $@

venv: $(INSTALLED)

env: venv
	@scripts/ensure_env.sh

model: venv
	@scripts/train_if_needed.sh >/dev/null

run: venv env
	scripts/run.sh

shell: venv env
	scripts/run.sh --shell

test: venv env model
	scripts/test.sh

test-unit: venv
	$(PYTHON) -m pytest -q tests/unit

test-data: venv
	scripts/validate_data.sh

test-stories: venv model
	scripts/test_stories.sh

test-server: venv env model
	$(PYTHON) -m pytest -q tests/server

eval-nlu: venv
	$(PYTHON) scripts/eval_nlu.py

eval-triage: venv env model
	$(PYTHON) scripts/eval_triage.py

# Re-resolves requirements.in into requirements.lock in a scratch virtualenv.
lock:
	scripts/lock.sh

clean:
	rm -rf $(VENV) models results var .pytest_cache
