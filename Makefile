# The two commands a newcomer needs: `make run` and `make test`.
PY ?= python3
VENV := .venv
VPY := $(VENV)/bin/python

.PHONY: run test venv node migrate demo serve package playground clean

$(VENV)/.installed: requirements.txt requirements-dev.txt
	$(PY) -m venv $(VENV)
	$(VPY) -m pip install -q --upgrade pip
	$(VPY) -m pip install -q -r requirements-dev.txt
	touch $@

venv: $(VENV)/.installed

# Migrate, load the demo tracker if the database is empty, serve the bot.
run: venv
	$(VPY) app.py migrate
	$(VPY) app.py demo --if-empty
	$(VPY) app.py serve

test: venv node
	$(VPY) -m pytest -q $(PYTEST_ARGS)

node:
	@true

clean:
	rm -rf $(VENV) node_modules build
