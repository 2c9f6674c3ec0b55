# Debrief: `make run` serves the demo on http://127.0.0.1:5000; `make test` runs the test suite.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
FLASK  := $(BIN)/flask --app app
HOST   ?= 127.0.0.1
PORT   ?= 5000

.PHONY: run test setup lint bench clean

$(BIN)/python:
	$(PYTHON) -c 'import sys; sys.exit("Debrief needs Python 3.11 or newer") if sys.version_info < (3, 11) else None'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.runtime: requirements.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev: requirements.txt requirements-dev.txt $(VENV)/.runtime
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	touch $@

setup: $(VENV)/.runtime  ## virtualenv, dependencies and an up-to-date database
	DEBRIEF_CONFIG=demo $(FLASK) db upgrade

run: setup  ## the local demo: migrations, the first unit, demo accounts, the server
	DEBRIEF_CONFIG=demo $(FLASK) bank load-units
	DEBRIEF_CONFIG=demo $(FLASK) demo setup
	DEBRIEF_CONFIG=demo $(FLASK) run --host $(HOST) --port $(PORT)

test: $(VENV)/.dev  ## the whole suite (DATABASE_URL=postgresql://... runs it on PostgreSQL)
	$(BIN)/python -m pytest $(PYTEST_ARGS); status=$$?; \
	if [ $$status -eq 5 ]; then echo "pytest collected no tests" >&2; fi; exit $$status

lint: $(VENV)/.dev
	$(BIN)/ruff check .

bench: $(VENV)/.dev  ## every benchmark under bench/ (figures go into bench/RESULTS.md by hand)
	for script in bench/*.py; do $(BIN)/python $$script || exit 1; done

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
