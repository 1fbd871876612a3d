# `make run` and `make test` set everything up on a fresh machine with Python 3.11+, make and Node.js.
PYTHON3 ?= python3
VENV    := .venv
PYTHON  := $(VENV)/bin/python
STAMP   := $(VENV)/.installed-stamp

.PHONY: install run test clean

$(STAMP): pyproject.toml
	@$(PYTHON3) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Parley needs Python 3.11 or newer")'
	$(PYTHON3) -m venv $(VENV)
	$(PYTHON) -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(PYTHON) -m pip install --quiet --disable-pip-version-check -e '.[test]'
	@touch $(STAMP)

install: $(STAMP)

run: $(STAMP)
	$(VENV)/bin/parley serve

test: $(STAMP)
	$(PYTHON) -m pytest

clean:
	rm -rf $(VENV) data .pytest_cache
