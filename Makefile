# One command per task; `make help` lists them. CI runs the same commands (.ci/run).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
SOURCES ?= ../shared/sources

.DEFAULT_GOAL := site
.PHONY: help site install system test test-fast data validate lint bench bench-explorer clean

help:  ## list the tasks
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F ':.*## ' '{printf "  make %-15s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

install: $(STAMP)  ## create .venv and install the project with its test tools

site: $(STAMP) system  ## build _site/ (HTML pages + the PDF) from data/ and chapters/
	$(BIN)/report build

# The system tools the tests drive, as command:Debian-package pairs; `make system` installs what is missing.
SYSTEM_TOOLS := chromium:chromium pdftotext:poppler-utils pdfinfo:poppler-utils
APT := env DEBIAN_FRONTEND=noninteractive apt-get

system:  ## install the system packages the tests need (chromium, poppler-utils) when they are missing
	@missing=""; for pair in $(SYSTEM_TOOLS); do command -v $${pair%%:*} >/dev/null || missing="$$missing $${pair##*:}"; done; \
	missing=$$(printf '%s\n' $$missing | sort -u | xargs); \
	if [ -z "$$missing" ]; then exit 0; fi; \
	if [ "$$(id -u)" = 0 ]; then sudo=""; elif sudo -n true 2>/dev/null; then sudo="sudo"; else \
	  echo "error: the tests need the Debian packages: $$missing; run: sudo apt-get install -y $$missing" >&2; exit 1; fi; \
	echo "installing $$missing (apt-get)"; \
	$$sudo $(APT) update -qq && $$sudo $(APT) install -y -qq --no-install-recommends $$missing >/dev/null

# The publishers' files for the tests that read them (they skip, saying why, when the folder is missing;
# REQUIRE_SOURCES=1 makes that a failure, as in CI).
export REPORT_SOURCES ?= $(abspath $(SOURCES))

test: $(STAMP) system  ## run the whole test suite (installs chromium and poppler-utils first if missing)
	$(BIN)/python -m pytest -q

test-fast: $(STAMP) system  ## run the tests that do not build the whole report or drive a browser
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
	$(BIN)/python benchmarks/engine_edit.py

bench-explorer: $(STAMP)  ## time the council explorer against one report chapter
	$(BIN)/python benchmarks/explorer.py

clean:  ## remove the built site and the build cache (keeps .venv)
	rm -rf _site _site.staging-* .cache
