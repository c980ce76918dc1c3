# newsetl: every install step lives here, so a fresh clone needs only python3 and make.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
export GX_ANALYTICS_ENABLED := false
export PREFECT_SERVER_ANALYTICS_ENABLED := false
# Prefect's local state (ephemeral API database) stays inside the checkout.
export PREFECT_HOME ?= $(CURDIR)/.prefect

.PHONY: install demo test test-slow lint ui benchmarks clean

$(STAMP): pyproject.toml requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	@# setuptools explains editable installs at length; the install itself stays checked by pip's exit code.
	PYTHONWARNINGS=ignore $(BIN)/python -m pip install --quiet -c requirements.lock -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

demo: install
	$(BIN)/newsetl demo

test: install
	$(BIN)/pytest -q

test-slow: install
	$(BIN)/pytest -q -m slow

lint: install
	$(BIN)/ruff check .

ui: install
	@echo "Prefect UI: http://127.0.0.1:4200  (run flows against it with PREFECT_API_URL=http://127.0.0.1:4200/api)"
	$(BIN)/prefect server start --host 127.0.0.1 --port 4200

benchmarks: install
	PYTHONWARNINGS=ignore $(BIN)/python -m pip install --quiet -c requirements.lock -e '.[dev,bench]'
	$(BIN)/python benchmarks/extraction.py
	$(BIN)/python benchmarks/dedup.py
	$(BIN)/python benchmarks/entities.py
	$(BIN)/python benchmarks/metadata.py
	$(BIN)/python benchmarks/language.py
	$(BIN)/python benchmarks/attribution.py
	$(BIN)/python benchmarks/speakers.py
	$(BIN)/python benchmarks/pronouns.py
	$(BIN)/python benchmarks/validation.py
	$(BIN)/python benchmarks/throughput.py

clean:
	rm -rf $(VENV) .prefect .demo warehouse/*.duckdb warehouse/data_docs
