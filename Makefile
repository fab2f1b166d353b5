# Two commands set everything up on a machine that has only Python 3.11+ and make.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: demo test lint bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

demo: $(STAMP)
	$(VENV)/bin/verify fixtures/demo/article.md --replay fixtures/demo/sources.warc.gz --no-cache || test $$? -eq 1

test: $(STAMP)
	$(VENV)/bin/ruff check verify tests benchmarks
	$(PY) -m pytest

lint: $(STAMP)
	$(VENV)/bin/ruff check verify tests benchmarks
	$(VENV)/bin/ruff format --check verify tests benchmarks

bench: $(STAMP)
	$(PY) benchmarks/run_article.py

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
