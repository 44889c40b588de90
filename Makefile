# Two commands do everything on a fresh machine: `make run` and `make test`.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test venv bench clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	# CPU build from this machine's disk; an unpinned torch would pull a multi-GB CUDA build.
	$(BIN)/pip install -q torch==2.13.0
	$(BIN)/pip install -q -e '.[dev]'
	touch $(STAMP)

venv: $(STAMP)

# Main job: ingest the shipped corpus into the default store and answer a sample question.
run: $(STAMP)
	$(BIN)/assistant ingest corpus
	$(BIN)/assistant ask "How many troops has North Korea deployed?"

test: $(STAMP)
	$(BIN)/python -m pytest -q
	$(BIN)/assistant eval evals/seed.jsonl --store $$(mktemp -d) --min-accuracy 0.9

bench: $(STAMP)
	$(BIN)/pip install -q -e '.[dev,bench]'
	$(BIN)/python benchmarks/ingest_query.py

clean:
	rm -rf $(VENV) .pytest_cache
