# Two commands matter: `make run` and `make test`. Everything else supports them.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
export DEBUG ?= true

.PHONY: install run test lint format migrate seed bench clean

$(STAMP): requirements.lock pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.lock
	touch $(STAMP)

install: $(STAMP)

migrate: install
	$(PY) manage.py migrate --noinput

seed: migrate
	$(PY) manage.py seed_demo

# Web, a worker with beat inside it (exactly one beat), on SQLite and the filesystem broker.
# Ctrl-C stops all of them.
run: seed
	@bash scripts/run-local.sh

test: install
	$(PY) -m pytest $(PYTEST_ARGS)

bench: install
	$(PY) -m pytest tests/perf -m perf -s $(PYTEST_ARGS)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

clean:
	rm -rf var/broker var/test.sqlite3*
