# Vangnet: `make run` serves the demo, `make test` runs the whole suite.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000
# Test workers (pytest-xdist): one per CPU; `make test TEST_WORKERS=0` runs in one process.
TEST_WORKERS ?= auto

.PHONY: run test lint format messages assets install clean bench verify

$(VENV)/.installed: pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $@

install: $(VENV)/.installed

run: install
	$(PY) manage.py migrate --no-input
	$(PY) manage.py demo
	$(PY) manage.py runserver $(HOST):$(PORT)

test: install
	$(PY) -m pytest -n $(TEST_WORKERS)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy vangnet bench verify
	$(PY) manage.py makemigrations --check --dry-run

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

# Pages under production settings, gunicorn and wrk on PostgreSQL (docs/performance.md).
# Generates the flanders data set on first use; `make bench BENCH_SCALE=tiny` is a quick run.
bench: install
	$(PY) -m bench.run

# Security and reliability checks (issue 12, docs/security.md): prints the figures. Exit 0 all
# passed, 1 a check failed, 2 incomplete (a check could not run or does not exist yet).
verify: install
	$(PY) -m verify.run

# Extract UI strings and compile the translations (needs GNU gettext: apt-get install gettext).
messages: install
	cd vangnet && ../$(PY) ../manage.py makemessages --locale nl --locale en --no-obsolete --ignore 'tests_support/*' --ignore 'tests/*' --ignore '*/tests/*'
	cd vangnet && ../$(PY) ../manage.py compilemessages

# Refresh the vendored front-end assets at the versions pinned in package.json.
assets:
	./bin/vendor-assets

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache
