# Two commands from the README: `make demo` and `make test`. Both build .venv first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint typecheck unit bench docs clean

$(STAMP): requirements.txt test-requirements.txt setup.cfg
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -r requirements.txt -r test-requirements.txt
	$(BIN)/python -m pip install -q --no-build-isolation -e .
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/oslo-incubator demo

LINTED := oslo_incubator tests benchmarks $(wildcard tools)

lint: $(STAMP)
	$(BIN)/ruff check $(LINTED)
	$(BIN)/ruff format --check $(LINTED)
	$(BIN)/lint-imports

typecheck: $(STAMP)
	$(BIN)/mypy

unit: $(STAMP)
	$(BIN)/python -m pytest

test: lint typecheck unit

bench: $(STAMP)
	for b in benchmarks/*.py; do $(BIN)/python $$b || exit 1; done

docs: $(STAMP)
	$(BIN)/python -m pip install -q sphinx
	$(BIN)/sphinx-build -W -b html doc/source doc/build/html

clean:
	rm -rf $(VENV) build dist *.egg-info doc/build .mypy_cache .ruff_cache .pytest_cache
