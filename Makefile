# SLI Hub: `make run` to use it, `make test` to test it, `make bench` to measure it.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

# The public data folder beside the checkout, unless SLIHUB_DATA_DIR says otherwise.
SLIHUB_DATA_DIR ?= $(shell [ -d ../shared/data/raw ] && cd ../shared/data/raw && pwd)
export SLIHUB_DATA_DIR

.PHONY: help install install-test run serve setup test test-fast lint bench frontend clean

help:
	@echo "make run     install, migrate, load the public data, create demo accounts and sample activity, serve on http://$(HOST):$(PORT)"
	@echo "make serve   install, migrate, collect static files, serve with gunicorn (production: see README)"
	@echo "make test    the whole suite (lint, import contracts, unit, integration, data and browser tests)"
	@echo "make bench   the benchmarks, printing figures"

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

# Reinstalled only when the pinned requirements or the package metadata change.
$(VENV)/.installed: requirements/base.lock pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements/base.lock
	$(BIN)/pip install --quiet --no-deps -e .
	touch $@

$(VENV)/.installed-test: requirements/test.lock $(VENV)/.installed
	$(BIN)/pip install --quiet -r requirements/test.lock
	touch $@

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test

setup: install
	$(BIN)/slihub migrate --noinput
	$(BIN)/slihub load-public-data
	$(BIN)/slihub create-demo-accounts
	$(BIN)/slihub demo-data --unless-removed

# A jobs worker (`slihub worker`: the schedule, and imports started from the web) runs in the background
# beside the development server, and stops when the server stops.
run: setup
	@$(BIN)/slihub worker & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT; \
	trap 'exit 130' INT TERM; \
	$(BIN)/slihub runserver $(HOST):$(PORT)

# The production server (README, "Deployment"). In production set SLIHUB_ENV=production, SLIHUB_SECRET_KEY
# and SLIHUB_ALLOWED_HOSTS (and DATABASE_URL, REDIS_URL); SLIHUB_BIND and SLIHUB_WEB_WORKERS say where it
# listens and how many workers it runs (default 127.0.0.1:8000, 2 x cores + 1).
serve: install
	$(BIN)/slihub migrate --noinput
	$(BIN)/slihub collectstatic --noinput
	$(BIN)/slihub serve

test: install-test
	$(BIN)/ruff check .
	$(BIN)/lint-imports
	$(BIN)/pytest tests/unit tests/integration
	# The data tests load the whole public data set into their own test database, kept apart so that
	# the transactional tests above never start from (and have to clear) 1.3 million rows.
	$(BIN)/pytest tests/data
	$(BIN)/pytest tests/browser

test-fast: install-test
	$(BIN)/pytest tests/unit tests/integration

lint: install-test
	$(BIN)/ruff check .
	$(BIN)/lint-imports

bench: install-test
	$(BIN)/python bench/run.py

# Rebuilds the committed GOV.UK Frontend stylesheet (needs Node.js; not needed to run the hub).
frontend:
	cd frontend && npm ci && sh build.sh

clean:
	rm -rf $(VENV) var staticfiles
