# The two commands: `make run` and `make test`. Everything else is what they need.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test bench lint typecheck pytest peers venv clean

$(STAMP): requirements.lock pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/pip install -q --disable-pip-version-check -r requirements.lock
	$(BIN)/pip install -q --disable-pip-version-check --no-deps -e .
	touch $(STAMP)

venv: $(STAMP)

run: $(STAMP)
	$(BIN)/octopost serve

peers:
	bash scripts/install-peers.sh

lint: $(STAMP)
	$(BIN)/ruff check octopost adapters scheduler tests bench

typecheck: $(STAMP)
	$(BIN)/mypy octopost adapters scheduler

# Two test processes (a file stays in one, with its module's fixtures): most of the suite waits on peers and
# subprocesses. The few tests that keep every core busy themselves (-m heavy: many workers, SIGKILL loops) run
# after, alone. PYTEST_WORKERS=0 runs everything in one process.
PYTEST_WORKERS ?= 2
pytest: $(STAMP) peers
ifeq ($(PYTEST_WORKERS),0)
	$(BIN)/pytest
else
	$(BIN)/pytest -n $(PYTEST_WORKERS) --dist loadfile -m "not heavy"
	$(BIN)/pytest -m heavy
endif

test: $(STAMP) peers
	@start=$$(date +%s); \
	$(MAKE) --no-print-directory lint typecheck pytest; status=$$?; \
	echo "suite time: $$(( $$(date +%s) - start )) s"; exit $$status

# Not part of `make test`: every issue-4 benchmark, one table, bench/RESULTS.md (about 10 minutes).
bench: $(STAMP) peers
	$(BIN)/python bench/run_all.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
