# Two commands set everything up on a machine that has only Python 3.11+ and make.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: demo demo-html screenshot test lint bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev,dask]'
	touch $(STAMP)

demo: $(STAMP)
	$(VENV)/bin/verify fixtures/demo/article.md --replay fixtures/demo/sources.warc.gz --no-cache || test $$? -eq 1

# the demo's report in the terminal and, for a browser, in demo-report.html
demo-html: $(STAMP)
	$(VENV)/bin/verify fixtures/demo/article.md --replay fixtures/demo/sources.warc.gz --no-cache \
		--also html=demo-report.html || test $$? -eq 1
	@echo "wrote demo-report.html"

# docs/demo-report.png, the README's picture of the HTML report (needs chromium, chromedriver)
screenshot: $(STAMP)
	$(PY) scripts/screenshot.py

test: $(STAMP)
	$(VENV)/bin/ruff check verify tests benchmarks scripts
	$(PY) -m pytest

lint: $(STAMP)
	$(VENV)/bin/ruff check verify tests benchmarks
	$(VENV)/bin/ruff format --check verify tests benchmarks

bench: $(STAMP)
	$(PY) benchmarks/run_article.py

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
