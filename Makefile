# `make run` and `make test` set everything up on a fresh machine with Python 3.11+, make and Node.js.
PYTHON3 ?= python3
VENV    := .venv
PYTHON  := $(VENV)/bin/python
STAMP   := $(VENV)/.installed-stamp
CLIENTS := tests/clients
NODE_STAMP := $(CLIENTS)/node_modules/.installed-stamp
WEB     := web
SWAGGER := api/static/swagger-ui
WEB_STAMP := $(SWAGGER)/.installed-stamp
WORKBENCH := api/static/workbench
WORKBENCH_SOURCES := $(shell find $(WEB)/src -type f)

.PHONY: install run test clean browser virtuoso lint typecheck lock

# Installs exactly what requirements.lock pins (with hashes); `make lock` writes it again from pyproject.toml.
$(STAMP): pyproject.toml requirements.lock
	@$(PYTHON3) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Parley needs Python 3.11 or newer")'
	$(PYTHON3) -m venv $(VENV)
	$(PYTHON) -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(PYTHON) -m pip install --quiet --disable-pip-version-check --require-hashes -r requirements.lock
	$(PYTHON) -m pip install --quiet --disable-pip-version-check --no-deps -e .
	@touch $(STAMP)

# pip-tools rather than uv: it keeps to pip, which installs the lock, and is one pure-Python wheel.
lock: $(STAMP)
	$(PYTHON) -m pip install --quiet --disable-pip-version-check pip-tools
	$(VENV)/bin/pip-compile --quiet --extra test --extra dev --generate-hashes --strip-extras \
		--no-emit-index-url --no-emit-find-links --output-file requirements.lock pyproject.toml

# The outside parsers the client checks run (Gephi Lite's graphology-gexf), pinned by the lock file.
$(NODE_STAMP): $(CLIENTS)/package.json $(CLIENTS)/package-lock.json
	@command -v node >/dev/null || (echo "the client checks need Node.js and npm" && exit 1)
	npm ci --prefix $(CLIENTS) --no-audit --no-fund --loglevel=error
	@touch $(NODE_STAMP)

# The pages' assets (Swagger UI for /docs), pinned by web/package-lock.json and served from the package.
# --ignore-scripts: no install script runs (swagger-ui-dist pulls in one that reports the install).
$(WEB_STAMP): $(WEB)/package.json $(WEB)/package-lock.json
	@command -v npm >/dev/null || (echo "building the pages needs Node.js and npm" && exit 1)
	npm ci --prefix $(WEB) --ignore-scripts --no-audit --no-fund --loglevel=error
	mkdir -p $(SWAGGER)
	cd $(WEB)/node_modules/swagger-ui-dist && cp swagger-ui-bundle.js swagger-ui.css favicon-32x32.png LICENSE NOTICE $(CURDIR)/$(SWAGGER)/
	@touch $(WEB_STAMP)

# The workbench at /: web/src bundled by esbuild (one binary, no configuration to keep), split by page so the
# first view loads only its own code; the libraries' licence comments are kept beside the bundle. YASGUI's style
# sheet is copied beside it (yasgui.css), linked by the SPARQL page when it opens, so no other page loads it.
$(WORKBENCH)/app.js: $(WEB_STAMP) $(WORKBENCH_SOURCES)
	rm -rf $(WORKBENCH)
	$(WEB)/node_modules/.bin/esbuild $(WEB)/src/main.js --bundle --splitting --format=esm --minify --sourcemap \
		--target=es2020 --legal-comments=linked --log-level=warning --outdir=$(WORKBENCH) --entry-names=app \
		--chunk-names=chunks/[name]-[hash] --asset-names=assets/[name]-[hash]
	cp $(WEB)/node_modules/@zazuko/yasgui/build/yasgui.min.css $(WORKBENCH)/yasgui.css

# The browser the page checks drive (Debian's Chromium; Playwright's own download cannot run here).
browser:
	@command -v chromium >/dev/null || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium) \
		|| (echo "the page checks need Debian's chromium: apt-get install chromium" && exit 1)

# The second server family the remote-store tests run over, beside `oxigraph serve` (PyPI): OpenLink Virtuoso 7,
# Debian's server and client binaries only (no service that starts itself; the tests start their own).
virtuoso:
	@command -v virtuoso-t >/dev/null && command -v isql-vt >/dev/null \
		|| (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq virtuoso-opensource-7-bin) \
		|| (echo "the store tests need Debian's virtuoso-opensource-7-bin: apt-get install virtuoso-opensource-7-bin" && exit 1)

install: $(STAMP) $(WEB_STAMP) $(WORKBENCH)/app.js

run: $(STAMP) $(WEB_STAMP) $(WORKBENCH)/app.js
	$(VENV)/bin/parley serve

test: $(STAMP) $(NODE_STAMP) $(WEB_STAMP) $(WORKBENCH)/app.js browser virtuoso
	$(PYTHON) -m pytest

# ruff's rules and formatting over the code, the tests and the benchmarks (pyproject.toml says which and why).
lint: $(STAMP)
	$(VENV)/bin/ruff check graph api tests benchmarks
	$(VENV)/bin/ruff format --check graph api tests benchmarks

typecheck: $(STAMP)
	$(VENV)/bin/mypy

clean:
	rm -rf $(VENV) data .pytest_cache $(CLIENTS)/node_modules $(WEB)/node_modules $(SWAGGER)
