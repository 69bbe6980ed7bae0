# Two commands from the README: `make demo` and `make test`. Both build the virtualenv
# first: `demo` with what the package needs at run time, `test` adds the test tools.
# PYTHON and VENV choose the interpreter and where its virtualenv lives, as .ci/run does:
#   make test PYTHON=python3.10 VENV=.venv-py3.10
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
RUNTIME := $(VENV)/.installed-runtime
TEST_TOOLS := $(VENV)/.installed-test-tools

.PHONY: demo test lint typecheck unit bench docs dist clean

# The package is installed editable, its requirements from requirements.txt and not
# resolved by pip (--no-deps): the one on the run-time decorators,
# oslo-incubator-deprecation, is this checkout itself (see setup.py and runtime/).
# pbr and setuptools build it in place (--no-build-isolation), from the virtualenv.
$(RUNTIME): requirements.txt setup.cfg setup.py pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q -r requirements.txt "setuptools>=77"
	$(BIN)/python -m pip install -q --no-deps --no-build-isolation -e .
	touch $@

$(TEST_TOOLS): $(RUNTIME) test-requirements.txt
	$(BIN)/python -m pip install -q -r test-requirements.txt
	touch $@

demo: $(RUNTIME)
	$(BIN)/oslo-incubator demo

LINTED := oslo_incubator tests benchmarks $(wildcard tools)

lint: $(TEST_TOOLS)
	$(BIN)/ruff check $(LINTED)
	$(BIN)/ruff format --check $(LINTED)
	$(BIN)/lint-imports

typecheck: $(TEST_TOOLS)
	$(BIN)/mypy

unit: $(TEST_TOOLS)
	$(BIN)/python --version
	$(BIN)/python -m pytest

test: lint typecheck unit

bench: $(RUNTIME)
	for b in benchmarks/*.py; do $(BIN)/python $$b || exit 1; done

# Both distributions: oslo-incubator (the toolkit) and oslo-incubator-deprecation (the
# run-time decorators alone, from runtime/), sdists and wheels, in dist/.
dist: $(TEST_TOOLS)
	$(BIN)/python -m build --no-isolation --outdir dist .
	$(BIN)/python -m build --no-isolation --outdir dist runtime

docs: $(TEST_TOOLS)
	$(BIN)/python -m pip install -q sphinx
	$(BIN)/sphinx-build -W -b html doc/source doc/build/html

clean:
	rm -rf .venv .venv-py* build runtime/build dist *.egg-info runtime/*.egg-info doc/build \
		.mypy_cache .ruff_cache .pytest_cache
