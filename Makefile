# Kartotek. `make run` serves the app with demo data; `make test` runs the whole suite.
# Both create .venv and install the project when needed; a second run skips the install
# unless pyproject.toml changed.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

# The first Python of 3.12 or newer among python3.13, python3.12, python3 and the versions
# pyenv installed (this machine's default python3 can be older). Only evaluated when the
# virtualenv has to be created.
PYTHON ?= $(shell for c in python3.13 python3.12 python3 \
	$$(pyenv root 2>/dev/null)/versions/3.13*/bin/python \
	$$(pyenv root 2>/dev/null)/versions/3.12*/bin/python; do \
	"$$c" -c 'import sys; sys.exit(sys.version_info < (3, 12))' >/dev/null 2>&1 \
	&& { command -v "$$c"; break; }; done)

.PHONY: install run test lint format migrate demo

$(PY):
	@if [ -z "$(PYTHON)" ]; then \
		echo "Kartotek needs Python 3.12 or newer (Django 6.1 requires it)."; \
		echo "Install one, e.g. 'pyenv install 3.12' or your system's python3.12 package,"; \
		echo "or point make at it: make PYTHON=/path/to/python3.12 run"; \
		exit 1; fi
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml | $(PY)
	$(PY) -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(PY) -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	touch $@

# Local development settings; production sets real environment variables instead.
.env:
	printf '# Local development settings, not committed. See README.md.\nDEBUG=1\n' > $@

install: $(STAMP) .env

migrate: install
	$(PY) manage.py migrate --noinput

demo: migrate
	$(PY) manage.py load_demo

# The server and the background worker (e-mail and other tasks, config/tasks.py) in one
# command: Ctrl-C stops both, and the worker stops when the server does.
run: demo
	@trap 'kill $$worker 2>/dev/null' EXIT; \
	$(PY) manage.py db_worker & worker=$$!; \
	$(PY) manage.py runserver 127.0.0.1:8000

# The browser tests run in a pytest session of their own: after Playwright starts, Django
# no longer sees connections opened earlier in that process, and the test database could
# not be dropped at the end.
test: install
	$(PY) -m pytest -n 2 -m "not e2e"
	$(PY) -m pytest -n 2 -m e2e

lint: install
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

format: install
	$(PY) -m ruff check --fix .
	$(PY) -m ruff format .
