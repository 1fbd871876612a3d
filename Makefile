# `make run` and `make test` set everything up on a fresh machine with Python 3.11+, make and Node.js.
PYTHON3 ?= python3
VENV    := .venv
PYTHON  := $(VENV)/bin/python
STAMP   := $(VENV)/.installed-stamp
CLIENTS := tests/clients
NODE_STAMP := $(CLIENTS)/node_modules/.installed-stamp

.PHONY: install run test clean

$(STAMP): pyproject.toml
	@$(PYTHON3) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Parley needs Python 3.11 or newer")'
	$(PYTHON3) -m venv $(VENV)
	$(PYTHON) -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(PYTHON) -m pip install --quiet --disable-pip-version-check -e '.[test]'
	@touch $(STAMP)

# The outside parsers the client checks run (Gephi Lite's graphology-gexf), pinned by the lock file.
$(NODE_STAMP): $(CLIENTS)/package.json $(CLIENTS)/package-lock.json
	@command -v node >/dev/null || (echo "the client checks need Node.js and npm" && exit 1)
	npm ci --prefix $(CLIENTS) --no-audit --no-fund --loglevel=error
	@touch $(NODE_STAMP)

install: $(STAMP)

run: $(STAMP)
	$(VENV)/bin/parley serve

test: $(STAMP) $(NODE_STAMP)
	$(PYTHON) -m pytest

clean:
	rm -rf $(VENV) data .pytest_cache $(CLIENTS)/node_modules
