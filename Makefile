# The two commands of the README: `make run` and `make test`. Everything else is a step of theirs.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
# The install is redone when the dependency lists change.
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml constraints.txt | sha256sum | cut -c1-16)

.PHONY: run test lint install bench serve clean browser ob2-validator

# The worker (emails, answer deadlines) runs beside the server and stops with it.
run: install
	$(BIN)/probono model build
	$(BIN)/probono init
	$(BIN)/probono worker & worker=$$!; trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	  $(BIN)/probono serve

test: lint browser ob2-validator
	$(BIN)/probono model build
	$(BIN)/pytest

# The browser tests drive Debian's Chromium (Playwright's own download does not work offline)
# and inject axe-core from npm.
browser: node_modules/.installed
	@test -x /usr/bin/chromium || { [ "$$(id -u)" = 0 ] \
	  && apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium \
	  || { echo "install Debian's chromium (apt-get install chromium) for the browser tests"; exit 1; }; }

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --silent
	touch $@

# The IMS OB 2.0 validator the interoperability tests run (tests/interop), in a virtual
# environment of its own: its pins conflict with the project's.
OB2_VENV := .venv-ob2
ob2-validator: $(OB2_VENV)/.installed

$(OB2_VENV)/.installed: tests/interop/validator-core-requirements.txt
	test -x $(OB2_VENV)/bin/python || $(PYTHON) -m venv $(OB2_VENV)
	$(OB2_VENV)/bin/python -m pip install --quiet --disable-pip-version-check -r $<
	$(OB2_VENV)/bin/python -m pip install --quiet --disable-pip-version-check --no-deps openbadges==1.1.2
	touch $@

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/lint-imports
	$(BIN)/hadolint Dockerfile

# Not part of `make test`: figures, not pass/fail (docs/performance.md).
bench: install
	$(BIN)/probono model build
	$(BIN)/python -m bench.ranking_latency $(BENCH_ARGS)
	$(BIN)/python -m bench.ann_libraries $(BENCH_ARGS)
	$(BIN)/python -m bench.encoding $(BENCH_ARGS)
	$(BIN)/python -m bench.badges $(BENCH_ARGS)
	$(BIN)/python -m bench.matching_speed $(BENCH_ARGS)

install: $(STAMP)

$(STAMP): pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade pip
	# torch first, alone: the CPU build this machine provides, never a CUDA one.
	$(BIN)/python -m pip install --quiet --disable-pip-version-check torch==2.13.0
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c constraints.txt -e '.[dev,bench]'
	rm -f $(VENV)/.installed-*
	touch $@

clean:
	rm -rf $(VENV) $(OB2_VENV) var .mypy_cache .ruff_cache .pytest_cache node_modules test-artifacts
