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
# subprocesses, so two cores run it in about half the time. PYTEST_WORKERS=0 runs it in one process.
PYTEST_WORKERS ?= 2
pytest: $(STAMP) peers
	$(BIN)/pytest $(if $(filter 0,$(PYTEST_WORKERS)),,-n $(PYTEST_WORKERS) --dist loadfile)

test: $(STAMP) peers
	@start=$$(date +%s); \
	$(MAKE) --no-print-directory lint typecheck pytest; status=$$?; \
	echo "suite time: $$(( $$(date +%s) - start )) s"; exit $$status

# Not part of `make test`: every issue-4 benchmark, one table, bench/RESULTS.md (about 10 minutes).
bench: $(STAMP) peers
	$(BIN)/python bench/run_all.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
