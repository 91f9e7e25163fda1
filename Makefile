# The two commands: `make serve` and `make test`. Everything they need is installed here.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMPS := .stamps
DATA_DIR ?= data

.PHONY: serve test check build deps bench clean protocol

serve: $(STAMPS)/venv build
	$(VENV)/bin/aisle serve --data-dir $(DATA_DIR)

test: $(STAMPS)/system-test $(STAMPS)/venv build check
	node scripts/test_js.mjs
	$(PY) -m pytest -q

check: $(STAMPS)/venv $(STAMPS)/npm
	$(VENV)/bin/ruff check signaling media tests bench
	$(VENV)/bin/mypy
	$(PY) -m signaling.protocol_ts --check
	npx --no-install tsc -p cobrowse_js --noEmit
	npx --no-install tsc -p cobrowse_js/demo --noEmit
	npx --no-install tsc -p agent_web --noEmit

# Regenerates the TypeScript protocol types from signaling/protocol.
protocol: $(STAMPS)/venv
	$(PY) -m signaling.protocol_ts

build: $(STAMPS)/npm
	node scripts/build_js.mjs

bench: $(STAMPS)/system-test $(STAMPS)/venv build
	for b in bench/[a-z]*.py; do m=$${b%.py}; $(PY) -m $${m//\//.} || exit 1; done

deps: $(STAMPS)/venv $(STAMPS)/npm

$(STAMPS)/system-serve: scripts/system_deps.sh
	scripts/system_deps.sh serve
	@mkdir -p $(STAMPS) && touch $@

$(STAMPS)/system-test: scripts/system_deps.sh
	scripts/system_deps.sh test
	@mkdir -p $(STAMPS) && touch $@

$(STAMPS)/venv: pyproject.toml $(STAMPS)/system-serve
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --disable-pip-version-check -e '.[dev]'
	@mkdir -p $(STAMPS) && touch $@

$(STAMPS)/npm: package.json package-lock.json $(STAMPS)/system-serve
	npm ci --no-audit --no-fund --loglevel=error
	@mkdir -p $(STAMPS) && touch $@

clean:
	rm -rf $(STAMPS) $(VENV) node_modules signaling/static
