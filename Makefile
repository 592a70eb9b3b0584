# The two commands: `make up` runs the platform, `make test` runs the whole suite.
# Both install what they need (OS packages, uv, the locked Python environment).
SHELL := /bin/bash
# the real interpreter path (not a pyenv shim), so that uv keeps the venv it made
PYTHON ?= $(shell python3.11 -c 'import sys; print(sys.executable)' 2>/dev/null || python3 -c 'import sys; print(sys.executable)')
UV ?= $(shell command -v uv || echo $(HOME)/.local/bin/uv)
export UV_PYTHON := $(PYTHON)
export UV_PYTHON_DOWNLOADS := never
# bytecode is cached (in the ignored __pycache__/ folders) even where the shell says not to:
# without it every run compiles the whole tree again, and pytest rewrites every test module
unexport PYTHONDONTWRITEBYTECODE
NPM ?= npm
# the edge's web root (scripts/infra serves it; deploy/edge/README.md)
RUN_DIR ?= $(or $(TICKETING_RUN_DIR),.run)
WEB_ROOT ?= $(or $(TICKETING_EDGE_WEB_ROOT),$(RUN_DIR)/web)
PUBLIC_URL ?= http://127.0.0.1:$(or $(TICKETING_EDGE_PORT),28080)
ROLE ?= admin
NAME ?= $(or $(USER),developer)

.PHONY: help install infra up down logs status test test-fast test-unit test-integration test-platform lint format schemas asyncapi bench clean manifests fuzz \
	web web-test openapi seed staff-token

help:
	@echo "make up      install, start infrastructure and every service, print the public address (the edge)"
	@echo "make down    stop every service and the infrastructure (by PID)"
	@echo "make logs    follow the services' logs"
	@echo "make test    install, start what is needed, lint, type-check and run the whole suite"
	@echo "make lint    ruff + mypy"
	@echo "make test-unit | test-integration | test-platform   one tier of the suite"
	@echo "make manifests  build every Kubernetes overlay and validate it, check docker-compose.yml (no cluster)"
	@echo "make web     build the storefront (web/) into the edge's web root"
	@echo "make seed    seed the demo event when the catalogue is empty (make up does it)"
	@echo "make staff-token ROLE=admin|staff|scanner   print a staff bearer token (TOKEN=\$$(make -s staff-token ROLE=admin))"

$(UV):
	$(PYTHON) -m pip install --quiet --user uv || $(PYTHON) -m pip install --quiet uv

# bytecode compiled here, once, so that the first test run after an install does not pay for it
install: $(UV)
	$(UV) sync --frozen --all-packages --compile-bytecode

infra:
	scripts/infra up

up: install infra web
	$(UV) run --frozen python scripts/stack.py up
	$(UV) run --frozen python scripts/seed_demo.py --base-url $(PUBLIC_URL)
	@echo "storefront: $(PUBLIC_URL)/    (the demo event is on sale; pay with the test cards)"
	@echo "mail: every e-mail lands in $(RUN_DIR)/mail/ (.eml files); list them: curl -s http://127.0.0.1:28026/messages"
	@echo "staff token: make -s staff-token ROLE=admin    logs: make logs    stop: make down"

# npm ci only when the lockfile changed since the last install
web/node_modules/.package-lock.json: web/package-lock.json web/package.json
	@command -v $(NPM) >/dev/null || { echo "web: npm (Node.js 20+) is needed to build the storefront"; exit 1; }
	cd web && $(NPM) ci --no-audit --no-fund --prefer-offline

web: web/node_modules/.package-lock.json
	cd web && TICKETING_WEB_OUT_DIR=$(abspath $(WEB_ROOT)) $(NPM) run build
	web/scripts/write-config.sh > $(WEB_ROOT)/storefront-config.json

web-test: web/node_modules/.package-lock.json
	cd web && $(NPM) run lint && $(NPM) test

# the public OpenAPI document (built in process) and the web client's types from it
openapi: install web/node_modules/.package-lock.json
	$(UV) run --frozen python scripts/export_openapi.py --write
	cd web && $(NPM) run api:types

seed: install
	$(UV) run --frozen python scripts/seed_demo.py --base-url $(PUBLIC_URL)

staff-token: install
	@$(UV) run --frozen ticketing-gateway mint-staff-token --name "$(NAME)" --role $(ROLE)

down:
	-$(UV) run --frozen python scripts/stack.py down
	scripts/infra down

status:
	scripts/infra status; $(UV) run --frozen python scripts/stack.py status

logs:
	tail -n 20 -F $(RUN_DIR)/logs/*.log

lint: install
	$(UV) run --frozen ruff check .
	$(UV) run --frozen ruff format --check .
	$(UV) run --frozen mypy libs services tools scripts tests bench docs/examples

format: install
	$(UV) run --frozen ruff format .
	$(UV) run --frozen ruff check --fix .

schemas: install
	$(UV) run --frozen ticketing-contracts-export
	$(UV) run --frozen python scripts/asyncapi.py --write

test: install infra lint web web-test
	scripts/infra check-edge
	$(UV) run --frozen pytest

bench: install
	$(UV) run --frozen python bench/event_roundtrip.py

# the suite's three tiers (tests/conftest.py marks each test from the fixtures it uses)
# two workers: the unit tier is CPU-bound (PDF layouts, QR decoding) and shares no server
# no server starts, but the OS tools the unit tests read with do (nginx -t, pdftotext, zbarimg)
test-unit: install
	scripts/infra packages
	$(UV) run --frozen pytest -m unit -n 2

test-integration: install infra
	$(UV) run --frozen pytest -m integration

test-platform: install infra
	$(UV) run --frozen pytest -m platform

test-fast: test-unit

# kustomize (or kubectl kustomize) builds every overlay; strict Kubernetes and CRD schemas
# validate every object (deploy/k8s/README.md). Part of `make test` and `make test-fast` too.
manifests: install
	$(UV) run --frozen pytest tests/deploy -q

# a longer, random-seeded schemathesis run against every service (figures: .run/fuzz-report.json)
fuzz: install infra
	TICKETING_FUZZ_MAX_EXAMPLES=$${TICKETING_FUZZ_MAX_EXAMPLES:-110} TICKETING_FUZZ_SEED=$${TICKETING_FUZZ_SEED:-random} \
		TICKETING_FUZZ_TIME_BUDGET_S=$${TICKETING_FUZZ_TIME_BUDGET_S:-0} \
		$(UV) run --frozen pytest tests/fuzz -q -o addopts="-ra" --timeout=3600
	@cat $(RUN_DIR)/fuzz-report.json

clean: down
	rm -rf $(RUN_DIR)
