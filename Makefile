# Etalase: two commands for a newcomer: `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PORT   ?= 5000
HOST   ?= 127.0.0.1
export FLASK_APP := wsgi

PO_FILES := $(wildcard app/translations/*/LC_MESSAGES/messages.po)
MO_FILES := $(PO_FILES:.po=.mo)

.PHONY: run test test-fast bench load lint format translations extract-messages setup clean

## run: set everything up and serve the demo site on http://$(HOST):$(PORT)
# Every command sees the address (links in mail, notifications); one given in the environment wins.
run: export ETALASE_SITE_URL ?= http://$(HOST):$(PORT)
run: $(VENV)/.stamp-base $(MO_FILES)
	$(BIN)/flask db upgrade
	$(BIN)/flask seed-demo --if-empty
	$(BIN)/flask search rebuild --if-needed
	$(BIN)/flask run --host $(HOST) --port $(PORT) --reload

## test: the whole suite (SQLite; PostgreSQL too when TEST_DATABASE_URL is set), in
## PYTEST_WORKERS processes (pytest-xdist; 0 runs it in this one); PYTEST_ARGS adds options
PYTEST_WORKERS ?= 2
test: $(VENV)/.stamp-test $(MO_FILES)
	$(BIN)/python -m pytest -n $(PYTEST_WORKERS) --dist worksteal $(PYTEST_ARGS)

## bench: the benchmarks; figures are printed and written to bench/results/
bench: $(VENV)/.stamp-test $(MO_FILES)
	$(BIN)/python -m bench

## load: the site under wrk on gunicorn (4 workers) beside a minimal Flask page, on PostgreSQL
## over 100,000 generated products (made once, reused); LOAD_ARGS="--sqlite", "--products 2000
## --duration 5 --soak 20" for a quick run; figures are printed and written to bench/results/
load: $(VENV)/.stamp-test $(MO_FILES)
	$(BIN)/python -m bench.load $(LOAD_ARGS)

lint: $(VENV)/.stamp-test
	$(BIN)/ruff check app tests bench
	$(BIN)/ruff format --check app tests bench

format: $(VENV)/.stamp-test
	$(BIN)/ruff format app tests bench
	$(BIN)/ruff check --fix app tests bench

## extract-messages: refresh the catalogue after changing user-visible strings
# --ignore-dirs: Babel otherwise skips every folder starting with "_" (templates/_macros).
extract-messages: $(VENV)/.stamp-base
	$(BIN)/pybabel extract -F babel.cfg --ignore-dirs '.* __pycache__' -k _l -k lazy_gettext -k _ln:1,2 -k lazy_ngettext:1,2 -o app/translations/messages.pot --no-location --sort-output --project Etalase .
	$(BIN)/pybabel update -i app/translations/messages.pot -d app/translations --no-fuzzy-matching --ignore-obsolete

translations: $(MO_FILES)

%.mo: %.po | $(VENV)/.stamp-base
	$(BIN)/pybabel compile -i $< -o $@

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.stamp-base: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.stamp-test: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@ $(VENV)/.stamp-base

setup: $(VENV)/.stamp-test $(MO_FILES)

clean:
	rm -rf $(VENV) instance .pytest_cache
