# The habits: `make run` (site with demo content, and its job worker), `make test`, `make lint`.
PORT ?= 8000
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test test-pg lint bench bench-peers clean

$(STAMP): pyproject.toml
	python3 -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -e '.[dev]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/dateline migrate --noinput --verbosity 0
	$(BIN)/dateline demo --site http://127.0.0.1:$(PORT)
	$(BIN)/dateline worker --verbosity 0 & worker=$$!; trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(BIN)/dateline serve --port $(PORT)

test: $(STAMP)
	$(BIN)/pytest

# The same suite on a throwaway PostgreSQL + Redis that it starts and stops (needs postgresql and redis-server).
test-pg: $(STAMP)
	.ci/services.sh $(BIN)/pytest

# Figures against issue #5's targets on a scratch site under var/bench (BENCH_STORIES=2000 for a short run).
bench: $(STAMP)
	$(BIN)/python bench/run.py

# Dateline and the peer systems of ../shared/peers in one pass (SYSTEMS="static wagtail" to choose).
bench-peers: $(STAMP)
	$(BIN)/python bench/peers.py

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/djhtml --check --tabwidth 2 $$(find dateline -name '*.html')

clean:
	rm -rf $(VENV) var build *.egg-info
