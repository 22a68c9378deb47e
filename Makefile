# kvmdesk: `make run` starts the GUI, `make test` runs every check.
# Both install what is missing first (system packages, then .venv).

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: run test bench lint typecheck contracts pytest system-deps system-deps-test testbed clean

run: system-deps $(STAMP)
	$(BIN)/python -m kvmdesk $(ARGS)

test: system-deps-test $(STAMP) testbed lint typecheck contracts pytest

bench: system-deps-test $(STAMP)
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m benchmarks $(ARGS)

system-deps:
	@scripts/install-system-deps.sh run

system-deps-test:
	@scripts/install-system-deps.sh test

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[test]'
	@touch $@

testbed:
	@scripts/testbed.sh start

lint: $(STAMP)
	$(BIN)/ruff check kvmdesk tests benchmarks scripts
	$(BIN)/ruff format --check kvmdesk tests benchmarks scripts

typecheck: $(STAMP)
	$(BIN)/mypy kvmdesk

contracts: $(STAMP)
	$(BIN)/lint-imports

# Two processes: the integration tests restart libvirtd and boot guests,
# and a crash in one part must not hide the results of the other.
pytest: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -q tests/unit $(PYTEST_ARGS)
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -v tests/integration $(PYTEST_ARGS)

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache
