# `make test` and `make demo` work on a fresh clone with nothing but Python 3.11+.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install test lint demo run bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

test: $(STAMP) lint
	$(BIN)/pytest

demo: $(STAMP)
	$(BIN)/wiift demo

run: $(STAMP)
	$(BIN)/wiift run

bench: $(STAMP)
	$(BIN)/python bench/coach.py
	$(BIN)/python bench/ack.py
	$(BIN)/python bench/scheduler.py
	$(BIN)/python bench/digest.py
	$(BIN)/python bench/instance.py

clean:
	rm -rf $(VENV) build *.egg-info
