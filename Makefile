# Kartotek. `make run` serves the app with demo data; `make test` runs the whole suite.
# Both create .venv and install the project when needed; a second run skips the install
# unless pyproject.toml or requirements.lock changed.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
LOCK := requirements.lock
PIP := $(PY) -m pip --quiet --disable-pip-version-check
# How requirements.lock is made from pyproject.toml: uv (installed from the lock itself),
# since it resolves for every platform and Python the project supports at once (--universal;
# pip-tools locks for the machine it runs on only), with the hash of every file, in a second.
# Installing needs only pip: the lock is an ordinary hash-checked requirements file.
UV_COMPILE := $(VENV)/bin/uv pip compile --quiet pyproject.toml --extra dev --universal \
	--generate-hashes --custom-compile-command "make lock"

# The first Python of 3.12 or newer among python3.13, python3.12, python3 and the versions
# pyenv installed (this machine's default python3 can be older). Only evaluated when the
# virtualenv has to be created.
PYTHON ?= $(shell for c in python3.13 python3.12 python3 \
	$$(pyenv root 2>/dev/null)/versions/3.13*/bin/python \
	$$(pyenv root 2>/dev/null)/versions/3.12*/bin/python; do \
	"$$c" -c 'import sys; sys.exit(sys.version_info < (3, 12))' >/dev/null 2>&1 \
	&& { command -v "$$c"; break; }; done)

.PHONY: install lock lock-check typecheck run test lint format migrate demo

$(PY):
	@if [ -z "$(PYTHON)" ]; then \
		echo "Kartotek needs Python 3.12 or newer (Django 6.1 requires it)."; \
		echo "Install one, e.g. 'pyenv install 3.12' or your system's python3.12 package,"; \
		echo "or point make at it: make PYTHON=/path/to/python3.12 run"; \
		exit 1; fi
	$(PYTHON) -m venv $(VENV)

# Exactly the locked releases, each checked against its hash; then the project itself, whose
# dependencies the lock already holds.
$(STAMP): pyproject.toml $(LOCK) | $(PY)
	$(PIP) install --require-hashes --only-binary :all: -r $(LOCK)
	$(PIP) install --no-deps -e .
	touch $@

# Refresh the lock after a change to pyproject.toml: releases already locked stay unless the
# change needs another; `make lock UPGRADE=1` moves every one to its newest allowed release.
lock: $(STAMP)
	$(UV_COMPILE) $(if $(UPGRADE),--upgrade) -o $(LOCK)

# Fails when requirements.lock is not what `make lock` would write for pyproject.toml.
lock-check: $(STAMP)
	@copy=$$(mktemp) && cp $(LOCK) $$copy && $(UV_COMPILE) -o $$copy \
	&& if diff -u $(LOCK) $$copy; then rm $$copy; \
	else rm $$copy; echo "requirements.lock disagrees with pyproject.toml: run make lock"; exit 1; fi

# The app code against django-stubs (settings in pyproject.toml). The plugin loads the
# settings: a DATABASE_URL keeps it from starting the embedded server; nothing connects.
typecheck: $(STAMP)
	DEBUG=1 DATABASE_URL=postgres://nobody@127.0.0.1:1/none $(VENV)/bin/mypy

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
