# The two commands: `make up` runs the platform, `make test` runs the whole suite.
# Both install what they need (OS packages, uv, the locked Python environment).
SHELL := /bin/bash
# the real interpreter path (not a pyenv shim), so that uv keeps the venv it made
PYTHON ?= $(shell python3.11 -c 'import sys; print(sys.executable)' 2>/dev/null || python3 -c 'import sys; print(sys.executable)')
UV ?= $(shell command -v uv || echo $(HOME)/.local/bin/uv)
export UV_PYTHON := $(PYTHON)
export UV_PYTHON_DOWNLOADS := never

.PHONY: help install infra up down logs status test test-fast lint format schemas asyncapi bench clean

help:
	@echo "make up      install, start infrastructure and every service, print the public address (the edge)"
	@echo "make down    stop every service and the infrastructure (by PID)"
	@echo "make logs    follow the services' logs"
	@echo "make test    install, start what is needed, lint, type-check and run the whole suite"
	@echo "make lint    ruff + mypy"

$(UV):
	$(PYTHON) -m pip install --quiet --user uv || $(PYTHON) -m pip install --quiet uv

install: $(UV)
	$(UV) sync --frozen --all-packages

infra:
	scripts/infra up

up: install infra
	$(UV) run --frozen python scripts/stack.py up
	@echo "logs: make logs    stop: make down"

down:
	-$(UV) run --frozen python scripts/stack.py down
	scripts/infra down

status:
	scripts/infra status; $(UV) run --frozen python scripts/stack.py status

logs:
	tail -n 20 -F .run/logs/*.log

lint: install
	$(UV) run --frozen ruff check .
	$(UV) run --frozen ruff format --check .
	$(UV) run --frozen mypy libs services tools scripts tests bench

format: install
	$(UV) run --frozen ruff format .
	$(UV) run --frozen ruff check --fix .

schemas: install
	$(UV) run --frozen ticketing-contracts-export
	$(UV) run --frozen python scripts/asyncapi.py --write

test: install infra lint
	scripts/infra check-edge
	$(UV) run --frozen pytest

bench: install
	$(UV) run --frozen python bench/event_roundtrip.py

test-fast: install
	$(UV) run --frozen pytest -m "not infra"

clean: down
	rm -rf .run
