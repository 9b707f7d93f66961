# mux-scheduler: `make demo` to try it, `make test` to check it.
SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: demo test lint typecheck pytest bench screenshots tools test-tools services clean help

help:
	@echo "make demo   - set up and serve the app with demo data on http://$(HOST):$(PORT)"
	@echo "make test   - lint, type-check and run the whole test suite (SQLite and PostgreSQL)"
	@echo "make bench  - run the benchmarks and rewrite bench/results.md"
	@echo "make screenshots - refresh docs/screenshots from the browser tests"

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Python 3.11+ is required"'
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip
	$(VENV)/bin/pip install --quiet -e ".[dev]"
	@touch $(STAMP)

# Front-end libraries (htmx) from the npm registry; served from /static/vendor/ by the web UI.
NODE_STAMP := node_modules/.package-lock.json

$(NODE_STAMP): package.json package-lock.json
	@bash .ci/ensure-tools.sh node:nodejs npm:npm
	npm ci --no-audit --no-fund --loglevel=error

venv: $(STAMP) $(NODE_STAMP)

tools:
	@bash .ci/ensure-tools.sh ffmpeg:ffmpeg ffprobe:ffmpeg

test-tools: tools
	@bash .ci/ensure-tools.sh tv_validate_file:xmltv-util chromium:chromium

services:
	@bash .ci/ensure-services.sh

demo: venv tools
	$(PY) -m mux_scheduler demo --host $(HOST) --port $(PORT)

lint: venv
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

typecheck: venv
	$(VENV)/bin/mypy mux_scheduler tests bench

pytest: venv test-tools services
	$(VENV)/bin/pytest -n 2 --dist loadgroup

test: lint typecheck pytest

bench: venv tools services
	$(PY) bench/run_all.py

screenshots: venv test-tools services
	MUX_SCREENSHOTS_DIR=$(CURDIR)/docs/screenshots $(VENV)/bin/pytest -q tests/web/test_browser.py \
		tests/web/test_schedule_browser.py tests/web/test_library_browser.py

clean:
	rm -rf $(VENV) var .mypy_cache .ruff_cache .pytest_cache
