# Atpazīt — the two commands are `make run` and `make test`. `make check` is what CI enforces.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
ATPAZIT := $(BIN)/atpazit
VENDOR := atpazit/web/static/vendor
# `make run PORT=8010` serves on another port (the links in e-mails follow it).
PORT ?= 8000

.DEFAULT_GOAL := help
.PHONY: help run test check lint types migrations-check messages messages-check assets compilemessages serve worker tick bench clean

help:
	@echo "make run    - install, build assets, migrate, load demo data, serve on http://127.0.0.1:$(PORT) (PORT=8010 for another)"
	@echo "make test   - install test dependencies and run the whole suite (DATABASE_URL selects the database)"
	@echo "make check  - lint, types, migrations check, translations check and tests"
	@echo "make messages - refresh the lv/ru/en catalogues after changing user-facing text"

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: $(BIN)/python pyproject.toml
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed pyproject.toml
	$(BIN)/pip install --quiet -e ".[test,dev]"
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

$(VENDOR)/htmx.min.js: node_modules/.installed
	mkdir -p $(VENDOR)
	cp node_modules/htmx.org/dist/htmx.min.js $(VENDOR)/htmx.min.js

assets: $(VENDOR)/htmx.min.js

compilemessages: $(VENV)/.installed
	cd atpazit && ../$(BIN)/python -m django compilemessages --settings=atpazit.settings -v0 --ignore=node_modules

run: $(VENV)/.installed assets compilemessages
	$(ATPAZIT) migrate --no-input -v0
	$(ATPAZIT) demo > var/demo-logins.txt
	@echo
	@echo "Atpazīt is starting on http://127.0.0.1:$(PORT)  (development mode, synthetic demo data)"
	@echo "E-mails go to the development mailbox: http://127.0.0.1:$(PORT)/notifications/dev-mailbox/"
	@echo "Demo users (password: Atpazit-demo-2026; two-factor code: $(ATPAZIT) demo totp USERNAME):"
	@sed 's/^/  /' var/demo-logins.txt
	@echo "Try the API with a demo token above: curl -H \"Authorization: Bearer TOKEN\" http://127.0.0.1:$(PORT)/api/v1/referrals"
	@echo "The background worker and the deadline tick run alongside the server; Ctrl-C stops all three."
	@echo
	@trap 'kill 0' INT TERM EXIT; \
	  export ATPAZIT_BIND=127.0.0.1:$(PORT) ATPAZIT_BASE_URL=$${ATPAZIT_BASE_URL:-http://127.0.0.1:$(PORT)}; \
	  $(ATPAZIT) worker & \
	  $(ATPAZIT) tick --every 60 & \
	  $(ATPAZIT) serve

test: $(VENV)/.installed-test assets compilemessages
	$(BIN)/pytest $(PYTEST_ARGS)

lint: $(VENV)/.installed-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/djlint atpazit --lint

types: $(VENV)/.installed-test
	$(BIN)/mypy atpazit

migrations-check: $(VENV)/.installed
	$(ATPAZIT) makemigrations --check --dry-run

messages: $(VENV)/.installed-test
	$(ATPAZIT) i18n update

messages-check: $(VENV)/.installed-test
	$(ATPAZIT) i18n check

check: lint types migrations-check messages-check test

bench: $(VENV)/.installed-test
	$(BIN)/python bench/run.py $(BENCH_ARGS)

clean:
	rm -rf $(VENV) node_modules $(VENDOR) var/static
