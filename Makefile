# `make test` and `make demo` work on a fresh clone with nothing but Python 3.11+.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PINS_VENV := .venv-pins


.PHONY: install test lint demo run bench model constraints clean

# Installs the versions in constraints.txt: the ones the tests passed with.
$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet --constraint constraints.txt -e '.[dev]'
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

# Fit the analyzer's model on data/updates/ and write bot/coach/model/analyzer.json (needs the train extra).
model: $(STAMP)
	$(BIN)/python -m bot.coach.training

# A benchmark whose target is not met exits non-zero; the leading `-` lets the others still run.
bench: $(STAMP)
	-$(BIN)/python bench/coach.py
	-$(BIN)/python bench/questions.py
	-$(BIN)/python bench/ack.py --rate 150
	-$(BIN)/python bench/ack.py
	-$(BIN)/python bench/scheduler.py
	-$(BIN)/python bench/job_queue.py
	-$(BIN)/python bench/digest.py
	-$(BIN)/python bench/instance.py

# Re-resolve the newest versions pyproject.toml allows, in a scratch venv, and pin them (needs the network);
# `make test` then installs them and proves them.
constraints:
	rm -rf $(PINS_VENV)
	$(PYTHON) -m venv $(PINS_VENV)
	$(PINS_VENV)/bin/python -m pip install --quiet --upgrade pip
	$(PINS_VENV)/bin/python -m pip install --quiet -e '.[dev]'
	{ sed -n '/^#/p' constraints.txt; $(PINS_VENV)/bin/python -m pip freeze --exclude-editable; } > constraints.txt.new
	mv constraints.txt.new constraints.txt
	rm -rf $(PINS_VENV)

clean:
	rm -rf $(VENV) $(PINS_VENV) build *.egg-info
