# The habits: `make run` (site with demo content), `make test`, `make lint`.
PORT ?= 8000
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test test-pg lint clean

$(STAMP): pyproject.toml
	python3 -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -e '.[dev]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/dateline migrate --noinput --verbosity 0
	$(BIN)/dateline demo
	$(BIN)/dateline serve --port $(PORT)

test: $(STAMP)
	$(BIN)/pytest

# The same suite on a throwaway PostgreSQL + Redis that it starts and stops (needs postgresql and redis-server).
test-pg: $(STAMP)
	.ci/services.sh $(BIN)/pytest

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

clean:
	rm -rf $(VENV) var build *.egg-info
