# Two commands for newcomers: `make serve` and `make test`. Everything else is for maintainers.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
ZSTAMP := $(VENV)/.zensical-installed
export NO_MKDOCS_2_WARNING := 1
export DISABLE_MKDOCS_2_WARNING := true
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: serve test build zensical pdf offline bench clean

$(STAMP): requirements.txt requirements-test.txt package-lock.json
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements-test.txt
	@if command -v npm >/dev/null; then npm ci --no-audit --no-fund --loglevel=error; \
	else echo "npm not found: workflow lint and Lighthouse will be skipped"; fi
	touch $(STAMP)

## serve: set up the environment and serve the site with live reload on 127.0.0.1:8000
serve: $(STAMP)
	$(BIN)/mkdocs serve --dev-addr 127.0.0.1:8000 --livereload

## test: set up the environment and run every check
test: $(STAMP)
	$(BIN)/python -m pytest

## build: strict build of the site into site/
build: $(STAMP)
	$(BIN)/mkdocs build --strict

$(ZSTAMP): $(STAMP) requirements-zensical.txt
	$(BIN)/python -m pip install --quiet -r requirements-zensical.txt
	touch $(ZSTAMP)

## zensical: build the same content with Zensical into build/zensical/site, then run the
## built-site checks on it (links, hosts, CSP, axe on a sample, the search questions)
zensical: $(ZSTAMP)
	$(BIN)/python scripts/site_build.py zensical
	$(BIN)/python scripts/check_site.py build/zensical/site /handbook/
	$(BIN)/python -m pytest --engine zensical

## pdf: build the whole handbook as one PDF (build/download/handbook.pdf); PAPER=letter for US Letter
pdf: $(STAMP)
	$(BIN)/python scripts/build_pdf.py

## offline: build the offline site as a zip (build/download/handbook-offline.zip)
offline: $(STAMP)
	$(BIN)/python scripts/build_offline.py

## bench: print build, size and speed figures (site, PDF and offline zip, both engines)
bench: $(ZSTAMP)
	$(BIN)/python scripts/benchmark_site.py
	$(BIN)/python scripts/benchmark_exports.py
	$(BIN)/python scripts/benchmark_engines.py

clean:
	rm -rf site .pytest_cache build
