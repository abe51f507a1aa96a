# kerncijfers — set-up, demo report and tests. See README.md.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
JAAR ?= 2019
DEMO_DIR := data/raw/demo
OUT ?= data

.PHONY: setup report demo test lint bench lock clean serve

setup: $(STAMP)

$(STAMP): pyproject.toml constraints.txt scripts/install-system-deps.sh
	@scripts/install-system-deps.sh
	@$(PYTHON) -c 'import sys; assert sys.version_info[:2] == (3, 11), "kerncijfers needs Python 3.11, found " + sys.version' 
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade "pip<27"
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[dev]'
	@touch $(STAMP)

demo: setup
	$(BIN)/kerncijfers demo --output-dir $(DEMO_DIR)

report: demo
	$(BIN)/kerncijfers run --raw-dir $(DEMO_DIR) --jaar $(JAAR) --peildatum 2021-03-01 \
		--reference data/reference/jaarverslag-2019.yaml --output-dir $(OUT)

test: setup
	@scripts/install-system-deps.sh --browser
	$(BIN)/ruff check pipelines schemas tests benchmarks
	$(BIN)/python -m pytest

lint: setup
	$(BIN)/ruff check pipelines schemas tests benchmarks
	$(BIN)/ruff format --check pipelines schemas tests benchmarks

bench: setup
	$(BIN)/python benchmarks/bench_pipeline.py

serve: setup
	$(BIN)/kerncijfers serve

lock: setup
	$(BIN)/python -m pip freeze --exclude-editable > constraints.txt.new && mv constraints.txt.new constraints.txt

clean:
	rm -rf $(VENV) dbt_project/target dbt_project/logs $(DEMO_DIR)
