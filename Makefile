# kerncijfers — set-up, demo report and tests. See README.md.
SHELL := /bin/bash
# The newest supported Python on PATH (3.13, 3.12 or 3.11); `make setup PYTHON=...` overrides.
PYTHON ?= $(firstword $(shell scripts/pythons.sh))
PYVER := $(shell $(PYTHON) -c 'import sys; print("%d.%d" % sys.version_info[:2])' 2>/dev/null)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(PYVER)
DEMO_DIR := data/raw/2021-03-31
# The same demo delivery as the systems knew it three months earlier: an earlier vintage.
DEMO_EARLIER := data/raw/2020-12-31
OUT ?= data
RUN := $(BIN)/kerncijfers run --reference data/reference/jaarverslag-2019.yaml --output-dir $(OUT)

.PHONY: setup check-python report demo test lint bench lock test-pythons clean serve dbt docs

setup: $(STAMP)

check-python:
	@if [[ -z "$(PYTHON)" ]]; then \
	  echo "kerncijfers needs Python 3.11, 3.12 or 3.13, and found none on PATH (tried python3.13," \
	       "python3.12, python3.11, python3). Install one, or name it: make setup PYTHON=/path/to/python3.12" >&2; \
	  exit 1; fi
	@command -v "$(PYTHON)" >/dev/null || { echo "kerncijfers: PYTHON=$(PYTHON) is not a command" >&2; exit 1; }
	@$(PYTHON) -c 'import sys; v = sys.version_info[:2]; sys.exit(0 if (3, 11) <= v <= (3, 13) else \
	  "kerncijfers needs Python 3.11, 3.12 or 3.13; $(PYTHON) is %d.%d" % v)'

$(STAMP): pyproject.toml constraints.txt scripts/install-system-deps.sh scripts/install-packages.sh | check-python
	@scripts/install-system-deps.sh
	@if [[ -x $(BIN)/python ]] && [[ "$$($(BIN)/python -c 'import sys; print("%d.%d" % sys.version_info[:2])')" != "$(PYVER)" ]]; then \
	  echo "kerncijfers: rebuilding $(VENV) for Python $(PYVER)"; rm -rf $(VENV); fi
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	scripts/install-packages.sh $(VENV)
	@rm -f $(VENV)/.installed*
	@touch $(STAMP)
	@echo "kerncijfers: $(VENV) ready with Python $(PYVER) ($(PYTHON))"

demo: setup
	$(BIN)/kerncijfers demo --output-dir $(DEMO_EARLIER) --exportdatum 2020-12-31
	$(BIN)/kerncijfers demo --output-dir $(DEMO_DIR)

# Two vintages: the figures of 2020 on the delivery of 31 December 2020 (without the report,
# which the next run replaces), the report of 2020 on that of 31 March 2021 (with the
# revisions between them), and the report of 2019 (last: its marts are current).
report: demo
	$(RUN) --raw-dir $(DEMO_EARLIER) --jaar 2020 --geen-rapport
	$(RUN) --raw-dir $(DEMO_DIR) --jaar 2020
	$(RUN) --raw-dir $(DEMO_DIR) --jaar 2019 --peildatum 2021-03-01

# The project's own modules compiled once (as the packages were when installed): with
# PYTHONDONTWRITEBYTECODE set, each of the suite's ~80 Python processes would compile them.
# Only a saving: where the files cannot be written, the suite runs all the same.
test: setup
	@scripts/install-system-deps.sh --browser
	$(BIN)/ruff check pipelines schemas tests benchmarks demo docs/hooks
	@$(BIN)/python -m compileall -q pipelines schemas tests demo >/dev/null || true
	$(BIN)/python -m pytest -n 3 --dist loadgroup

lint: setup
	$(BIN)/ruff check pipelines schemas tests benchmarks demo docs/hooks
	$(BIN)/ruff format --check pipelines schemas tests benchmarks demo docs/hooks

# The documentation site, offline and strict (a broken link or a missing page fails), in site/.
docs: setup
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs build --strict --site-dir site

bench: setup
	$(BIN)/python benchmarks/bench_pipeline.py

serve: setup
	$(BIN)/kerncijfers serve

# dbt on a copy of a warehouse, as a run calls it: make dbt WAREHOUSE=/tmp/w/warehouse.duckdb
# ARGS="build --select bijstand_instroom" (copy first: install -m 644 data/warehouse.duckdb ...).
WAREHOUSE ?= /tmp/ontwikkel/warehouse.duckdb
ARGS ?= build
dbt: setup
	$(BIN)/python -m pipelines.compute.transform $(WAREHOUSE) $(ARGS)

# Regenerate the lock from the set-up environment, then prove it installs on every supported
# Python this machine has.
lock: setup
	{ sed -n '/^#/p' constraints.txt; $(BIN)/python -m pip freeze --exclude-editable; } > constraints.txt.new
	mv constraints.txt.new constraints.txt
	scripts/check-lock.sh

# Not part of `make test`: a fresh environment per supported Python on this machine (PATH and
# pyenv), installed from the lock, running the demo pipeline and the fast tests.
test-pythons:
	scripts/test-pythons.sh

clean:
	rm -rf $(VENV) .venvs site dbt_project/target dbt_project/logs data/raw/demo $(DEMO_DIR) $(DEMO_EARLIER)
