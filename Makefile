# Two commands matter: `make run` and `make test`. Everything else supports them.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
CHECKERS_STAMP := node_modules/.installed
export DEBUG ?= true

.PHONY: install checkers run test lint format migrate seed bench bench-scale clean

$(STAMP): requirements.lock pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.lock
	touch $(STAMP)

install: $(STAMP)

# The validators the tests run over every page (package.json: the Nu Html Checker, which needs
# Java, and axe-core), from the committed lock. Without npm, or when npm ci fails, the tests
# that need them are skipped with the reason; with CI=true both are errors. --ignore-scripts:
# vnu-jar's install script would download a Java runtime; the system's Java is used instead.
$(CHECKERS_STAMP): package.json package-lock.json
	@if ! command -v npm >/dev/null 2>&1; then \
	  echo "make: npm not found: the HTML (vnu) and accessibility (axe) checks will be skipped"; \
	  [ "$$CI" != true ]; \
	elif npm ci --ignore-scripts --no-audit --no-fund --loglevel=error; then \
	  touch $(CHECKERS_STAMP); \
	else \
	  echo "make: npm ci failed: the HTML (vnu) and accessibility (axe) checks will be skipped"; \
	  [ "$$CI" != true ]; \
	fi

checkers: $(CHECKERS_STAMP)

migrate: install
	$(PY) manage.py migrate --noinput

seed: migrate
	$(PY) manage.py seed_demo

# Web, a worker with beat inside it (exactly one beat), on SQLite and the filesystem broker.
# Ctrl-C stops all of them.
run: seed
	@bash scripts/run-local.sh

# One pytest-xdist worker per core (TEST_WORKERS=0: one process); worksteal hands a long test's
# neighbours to the other worker instead of queueing them behind it.
TEST_WORKERS ?= auto
test: install checkers
	$(PY) -m pytest -n $(TEST_WORKERS) --dist worksteal $(PYTEST_ARGS)

bench: install
	$(PY) -m pytest tests/perf -m perf -s $(PYTEST_ARGS)

# PostgreSQL at a named scale (SCALE=small, the default, or SCALE=university): pages, admin
# lists, throughput against a bare view, the Sep 16 burst, the sweeps. Resets the database
# named by DATABASE_URL (default portal_bench; its name must contain "bench").
bench-scale: install
	@bash scripts/bench-scale.sh

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

clean:
	rm -rf var/broker var/test.sqlite3*
