# kvmdesk: `make run` starts the GUI, `make test` runs every check.
# Both install what is missing first (system packages, then .venv):
# `make run` only what running needs, `make test` the test tools as well.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
RUN_STAMP := $(VENV)/.installed-run
STAMP  := $(VENV)/.installed
export PIP_DISABLE_PIP_VERSION_CHECK := 1

TS_DIR  := kvmdesk/resources/translations
TS      := $(wildcard $(TS_DIR)/*.ts)
QM      := $(TS:.ts=.qm)
SOURCES := $(shell find kvmdesk -name '*.py' | LC_ALL=C sort)
# lupdate reads hostcheck's check_text("id", "English") as QT_TRANSLATE_NOOP.
LUPDATE := $(BIN)/pyside6-lupdate -no-obsolete -locations none \
           -tr-function-alias QT_TRANSLATE_NOOP+=check_text

.PHONY: run test bench lint typecheck contracts pytest system-deps system-deps-test \
        testbed translations qm packages clean

run: system-deps $(RUN_STAMP) qm
	$(BIN)/python -m kvmdesk $(ARGS)

test: system-deps-test $(STAMP) qm testbed lint typecheck contracts pytest packages

bench: system-deps-test $(STAMP) qm
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m benchmarks $(ARGS)

system-deps:
	@scripts/install-system-deps.sh run

system-deps-test:
	@scripts/install-system-deps.sh test

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

# Running needs kvmdesk and its dependencies only.
$(RUN_STAMP): pyproject.toml | $(VENV)/bin/python
	$(BIN)/python -m pip install -q -e .
	@touch $@

# Tests add pytest, linters and the packaging tools.
$(STAMP): pyproject.toml | $(VENV)/bin/python
	$(BIN)/python -m pip install -q -e '.[test]'
	@touch $(RUN_STAMP) $@

# Translations: .ts are sources, .qm are built (here for a checkout, by the
# wheel build hook for a package).
qm: $(QM)

$(TS_DIR)/%.qm: $(TS_DIR)/%.ts | $(RUN_STAMP)
	$(BIN)/pyside6-lrelease -silent $< -qm $@

# Update the catalogues from the sources; then translate what is new
# (docs/architecture.md, "Translations").
translations: $(RUN_STAMP)
	$(LUPDATE) -target-language zh_CN $(SOURCES) -ts $(TS_DIR)/kvmdesk_zh_CN.ts
	$(LUPDATE) -pluralonly -source-language en -target-language en $(SOURCES) \
	    -ts $(TS_DIR)/kvmdesk_en.ts

testbed:
	@scripts/testbed.sh start

lint: $(STAMP)
	$(BIN)/ruff check kvmdesk tests benchmarks scripts packaging hatch_build.py
	$(BIN)/ruff format --check kvmdesk tests benchmarks scripts packaging hatch_build.py

typecheck: $(STAMP)
	$(BIN)/mypy kvmdesk

contracts: $(STAMP)
	$(BIN)/lint-imports

# Two processes: the integration tests restart libvirtd and boot guests,
# and a crash in one part must not hide the results of the other.
pytest: $(STAMP) qm
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -q tests/unit $(PYTEST_ARGS)
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -v tests/integration $(PYTEST_ARGS)

# Wheel, sdist, RPM and .deb: build, validate, install, start (scripts/packages.sh).
packages: $(STAMP)
	@scripts/packages.sh

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache dist build $(QM)
