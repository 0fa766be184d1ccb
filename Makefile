# One command per task; `make help` lists them. CI runs the same commands (.ci/run).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
SOURCES ?= ../shared/sources

.DEFAULT_GOAL := site
.PHONY: help site install test test-fast data validate lint bench bench-explorer clean

help:  ## list the tasks
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F ':.*## ' '{printf "  make %-15s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

install: $(STAMP)  ## create .venv and install the project with its test tools

site: $(STAMP)  ## build _site/ (HTML pages + the PDF) from data/ and chapters/
	$(BIN)/report build

test: $(STAMP)  ## run the whole test suite (needs chromium and poppler-utils; see README)
	$(BIN)/python -m pytest -q

test-fast: $(STAMP)  ## run the tests that do not build the whole report or drive a browser
	$(BIN)/python -m pytest -q -m "not slow"

data: $(STAMP)  ## rebuild every data package from the publishers' files in $(SOURCES)
	$(BIN)/report data ingest --sources $(SOURCES)

validate: $(STAMP)  ## validate every data package
	$(BIN)/report data validate

lint: $(STAMP)  ## check the chapters for statistics typed into prose
	$(BIN)/report lint

bench: $(STAMP)  ## run the build and preview benchmarks and print medians and ratios
	$(BIN)/python benchmarks/run.py
	$(BIN)/python benchmarks/preview.py

bench-explorer: $(STAMP)  ## time the council explorer against one report chapter
	$(BIN)/python benchmarks/explorer.py

clean:  ## remove the built site and the build cache (keeps .venv)
	rm -rf _site _site.staging-* .cache
