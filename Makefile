# The two commands: `make run` (app with demo data on SQLite) and `make test` (everything CI runs).
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
FLASK := $(BIN)/flask --app wsgi
HOST ?= 127.0.0.1
PORT ?= 5000
# Two workers: the suite runs in about half the time on CI's two cores.
PYTEST_ARGS ?= -n 2 --dist worksteal

.PHONY: run test setup tools translations messages lint typecheck pytest serve clean-db bench

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

setup: $(STAMP) translations

## make tools: the outside checkers the tests run (axe-core, the Nu HTML Checker), from npm
TOOLS_STAMP := tests/tools/node_modules/.installed
$(TOOLS_STAMP): tests/tools/package.json tests/tools/package-lock.json
	npm ci --prefix tests/tools --no-audit --no-fund --loglevel=error
	touch $(TOOLS_STAMP)

tools: $(TOOLS_STAMP)

translations: $(STAMP)
	$(BIN)/pybabel compile -d cop/translations

## make messages: extract new strings into messages.pot and both catalogs (then translate the .po files)
messages: $(STAMP)
	$(BIN)/pybabel -q extract -F babel.cfg --ignore-dirs ".* venv .venv node_modules" -k _l -k lazy_gettext -k ngettext:1,2 -k lazy_ngettext:1,2 --no-location --sort-output -w 100 -o cop/translations/messages.pot .
	$(BIN)/pybabel -q update -i cop/translations/messages.pot -d cop/translations --no-fuzzy-matching -w 100

## make run: install, migrate, load the demo data once, serve on http://127.0.0.1:5000
run: setup
	$(FLASK) db upgrade
	$(FLASK) cop seed-demo --if-empty
	$(FLASK) cop serve --host $(HOST) --port $(PORT)

## make test: install, lint, type-check and run the whole test suite
test: setup tools lint typecheck pytest

lint: $(STAMP)
	$(BIN)/ruff check cop tests config.py wsgi.py migrations/env.py
	$(BIN)/ruff format --check cop tests config.py wsgi.py migrations/env.py

typecheck: $(STAMP)
	$(BIN)/mypy

pytest: $(STAMP)
	$(BIN)/pytest $(PYTEST_ARGS)

serve: setup
	$(FLASK) cop serve --host $(HOST) --port $(PORT)

## make bench: pages, search and writes under load on SQLite and PostgreSQL (bench/pages.py,
## about 15 minutes; needs wrk, and PostgreSQL on 127.0.0.1), then the chat fan-out;
## results in bench/results/ (see bench/README.md)
bench: setup
	$(BIN)/pip install --quiet -e '.[dev,bench]'
	$(BIN)/python bench/pages.py
	$(BIN)/python bench/chat_fanout.py
