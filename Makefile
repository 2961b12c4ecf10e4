# The two commands a newcomer needs: `make run` and `make test`.
PY ?= python3
VENV := .venv
VPY := $(VENV)/bin/python

.PHONY: run test check venv lock node tab office postgres migrate demo serve package playground clean

# A changed requirements file installs into the existing venv (nothing is fetched when every pin is
# already there); only a missing venv is created afresh.
# pip says what it installs (a first run takes a minute or so; -q left ~40 s of silence).
$(VENV)/.installed: requirements.txt requirements-dev.txt constraints.txt
	@if [ ! -x $(VPY) ]; then \
	  echo "Creating the Python environment in $(VENV) (first run only)"; \
	  $(PY) -m venv $(VENV) && $(VPY) -m pip install --upgrade pip; \
	fi
	@echo "Installing the pinned requirements into $(VENV)"
	$(VPY) -m pip install --progress-bar on -r requirements-dev.txt -c constraints.txt
	touch $@

venv: $(VENV)/.installed

# After changing a requirements file: install it, then write every installed version to constraints.txt.
lock:
	$(VPY) -m pip install -q -r requirements-dev.txt
	@{ sed -n '/^#/p' constraints.txt; $(VPY) -m pip freeze --exclude-editable | LC_ALL=C sort -f; } > constraints.tmp
	mv constraints.tmp constraints.txt

# Migrate, load the demo tracker if the database is empty, serve the bot.
run: venv tab
	$(VPY) app.py migrate
	$(VPY) app.py demo --if-empty
	$(VPY) app.py serve

# The suite includes tests/test_tooling.py: ruff, mypy and the import-linter contracts (`make check` alone).
# Needs nothing running: without a PostgreSQL at TEST_DATABASE_URL (default 127.0.0.1:5432/test) the
# suite starts a throwaway server of its own (pg_ctl from Debian's postgresql) and removes it afterwards.
test: venv node tab office postgres
	$(VPY) -m pytest -q $(PYTEST_ARGS)

# Debian's PostgreSQL server binaries (not a running service), installed when missing and we are root.
postgres:
	@if ! ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1 && ! command -v pg_ctl >/dev/null; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y postgresql; \
	  else \
	    echo "WARNING: PostgreSQL is not installed and this is not root: install it with 'sudo apt-get install -y postgresql' or set TEST_DATABASE_URL (PostgreSQL tests need one of them)" >&2; \
	  fi; \
	fi

# LibreOffice Calc and poppler's pdftotext for the pack's print tests (LibreOffice recalculates every
# formula and counts the printed pages), installed when missing and we are root; without them those
# tests skip with the reason.
office:
	@if ! command -v soffice >/dev/null || ! command -v pdftotext >/dev/null; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends libreoffice-calc-nogui poppler-utils; \
	  else \
	    echo "WARNING: LibreOffice or pdftotext is missing and this is not root: install them with 'sudo apt-get install -y --no-install-recommends libreoffice-calc-nogui poppler-utils' (the pack's print tests skip without them)" >&2; \
	  fi; \
	fi

check: venv
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy
	PYTHONPATH=. $(VENV)/bin/lint-imports

# Node tooling (adaptivecards renderer, playwright-core, Agents Playground, manifest schemas)
# reinstalled only when node_modules is missing or package.json / package-lock.json changed;
# Debian chromium for the browser tests, installed when missing and we are root.
NODE_STAMP := node_modules/.installed

$(NODE_STAMP): package.json $(wildcard package-lock.json)
	@if [ -f package-lock.json ]; then npm ci --no-audit --no-fund; else npm install --no-audit --no-fund; fi
	touch $@

node: $(NODE_STAMP)
	@if [ ! -x /usr/bin/chromium ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y chromium; \
	  else \
	    echo "WARNING: /usr/bin/chromium is missing and this is not root: install it with 'sudo apt-get install -y chromium' (browser tests need it)" >&2; \
	  fi; \
	fi

# The Tracker tab's page (issue 21): TeamsJS, Fluent UI and React bundled by esbuild, all at the
# versions package-lock.json pins, into build/tab/ (served at /tab). Rebuilt when a source changes.
TAB_SOURCES := $(wildcard web/page/src/*) web/page/index.html web/page/build.mjs

build/tab/tab.js: $(NODE_STAMP) $(TAB_SOURCES)
	node web/page/build.mjs

tab: build/tab/tab.js

# Try every role with no Teams tenant: the bot on the demo tracker (migrated, demo loaded if empty) and
# one Microsoft 365 Agents Playground per demo person, all on 127.0.0.1; prints the URL for each role,
# Ctrl-C stops everything. Logs in build/playground/. PLAYGROUND_ARGS="--help" for options.
playground: venv node
	$(VPY) tools/playground.py $(PLAYGROUND_ARGS)

# Teams app package (build/appPackage.zip); needs MicrosoftAppId in the environment,
# or `make package PACKAGE_ARGS=--allow-placeholder` for a zip with a dummy bot id. The manifest is
# validated offline against the schema node_modules/@microsoft/app-manifest ships (npm ci, when
# node_modules is missing or stale) with jsonschema from .venv: both are built first on a fresh clone.
package: $(VENV)/.installed $(NODE_STAMP)
	$(VPY) tools/make_package.py $(PACKAGE_ARGS)

clean:
	rm -rf $(VENV) node_modules build
