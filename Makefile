# Two commands matter: `make run` and `make test`. Both bootstrap .venv from scratch.

PYTHON ?= $(shell for p in python3.13 python3.12 python3.11 python3; do \
	command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info < (3, 11))' \
	&& { command -v $$p; break; }; done)
VENV := .venv
BIN := $(VENV)/bin
RUN_STAMP := $(VENV)/.installed-run
DEV_STAMP := $(VENV)/.installed-dev
DEMO_DB ?= $(CURDIR)/.demo/engagement.db
PIP_FLAGS ?= --quiet --disable-pip-version-check
PIP_INSTALL := $(BIN)/python -m pip install $(PIP_FLAGS) --constraint constraints.txt

.PHONY: run test lint check demo-db soak bench clean

$(BIN)/python:
	@test -n "$(PYTHON)" || { echo "Python 3.11 or newer is needed (python3.11 on PATH)"; exit 1; }
	$(PYTHON) -m venv $(VENV)

$(RUN_STAMP): pyproject.toml constraints.txt | $(BIN)/python
	$(PIP_INSTALL) -e .
	@touch $@

$(DEV_STAMP): pyproject.toml constraints.txt | $(BIN)/python
	$(PIP_INSTALL) -e '.[dev]'
	@touch $@ $(RUN_STAMP)

demo-db: $(RUN_STAMP)
	$(BIN)/engagement --db "$(DEMO_DB)" sample load --with-examples

run: demo-db
	$(BIN)/engagement --db "$(DEMO_DB)" tui

test: $(DEV_STAMP)
	scripts/with-postgres.sh $(BIN)/python -m pytest $(PYTEST_ARGS)

# Longer fuzzing and crash runs than CI can afford.
soak: $(DEV_STAMP)
	HYPOTHESIS_PROFILE=soak ENGAGEMENT_CRASH_TRIALS=200 ENGAGEMENT_STRESS_ROUNDS=5000 \
		scripts/with-postgres.sh $(BIN)/python -m pytest -q \
		tests/test_fuzz_parsers.py tests/test_crash_safety.py tests/test_concurrency.py \
		tests/test_transfer_json.py tests/test_transfer_csv.py tests/test_backup.py \
		tests/test_merge.py $(PYTEST_ARGS)

# Speed against same-run baselines, into bench/results.{json,md}. BENCH_SCALE=tiny|small|medium|
# default (100k stakeholders / 1M interactions); ENGAGEMENT_BENCH_PG=postgresql+psycopg://… (or
# ENGAGEMENT_TEST_PG) adds PostgreSQL figures; BENCH_ONLY=queries,cli,ics,transfer,tui,pg runs some areas.
bench: $(DEV_STAMP)
	$(BIN)/python bench/run.py

lint: $(DEV_STAMP)
	$(BIN)/ruff check engagement tui tests bench
	$(BIN)/mypy engagement tui

check: lint test

clean:
	rm -rf $(VENV) .demo .pytest_cache .mypy_cache .ruff_cache
