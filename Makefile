# Beian: two commands, `make run` and `make test`, each doing its own set-up.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install run test lint format clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

# Migrates the SQLite database, loads the demo data once, then serves
# http://127.0.0.1:8000 with the worker beside it (Ctrl-C stops both).
# With no SMTP server configured, e-mails go to files in var/mail/. The simulator
# of the provincial administration runs beside them on http://127.0.0.1:8100, and the
# demo's own DNS responder on 127.0.0.1:8053 (UDP), which the resolve check asks.
run: export BEIAN_EMAIL_BACKEND ?= beian.notify.backends.mailfiles.EmailBackend
run: export BEIAN_SERVE_SIMULATOR ?= 1
run: export BEIAN_AUTHORITY_LOOKUP ?= 1
run: export BEIAN_AUTHORITY_SYNC ?= 1
run: export BEIAN_AUTHORITY_ADAPTER ?= miit
run: export BEIAN_SERVE_DNS ?= 1
run: $(STAMP)
	$(BIN)/beian migrate --noinput
	BEIAN_AUTHORITY_LOOKUP=0 $(BIN)/beian demo --once
	$(BIN)/beian serve

test: $(STAMP)
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean:
	rm -rf $(VENV) var build *.egg-info
