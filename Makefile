# Ladder: the two set-up commands are `make demo` and `make test` (see README.md).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
DEMO   := demo
TEST_WORKERS ?= auto

.PHONY: install demo test lint format bench clean serve

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml constraints.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[dev]'
	touch $(STAMP)

## install: the Python packages and the web service's NHS.UK assets (npm nhsuk-frontend).
install: $(STAMP)
	bash scripts/ensure-web-assets.sh

## demo: synthesise an east London region (a large trust and three peers) for 2022/23 and
## 2023/24 (so the report has last year beside each indicator), import both years,
## summarise it, show the headline indicators and Barts Health's priority neighbourhoods,
## write each trust's report to out/, then serve the web app on http://127.0.0.1:8000 with a
## demo login per role (Ctrl+C stops it).
demo: install
	rm -rf $(DEMO)
	$(BIN)/ladder synth --out $(DEMO)/data --trusts R1H,RQX,RF4,RRV --staff 4000 --seed 2024 --period 2024
	$(BIN)/ladder synth --out $(DEMO)/data-2023 --trusts R1H,RQX,RF4,RRV --staff 4000 --seed 2023 --period 2023
	$(BIN)/ladder init $(DEMO)/workspace
	for kind in staff applications training cases survey participants contracted_staff; do \
	  $(BIN)/ladder import $(DEMO)/workspace $$kind $(DEMO)/data-2023/$$kind.csv --period 2023 --user demo || exit 1; \
	  $(BIN)/ladder import $(DEMO)/workspace $$kind $(DEMO)/data/$$kind.csv --period 2024 --user demo || exit 1; \
	done
	for kind in vacancies routes; do \
	  $(BIN)/ladder import $(DEMO)/workspace $$kind $(DEMO)/data/$$kind.csv --period 2024 --user demo || exit 1; \
	done
	$(BIN)/ladder status $(DEMO)/workspace
	$(BIN)/ladder metrics $(DEMO)/workspace --headline
	$(BIN)/ladder place neighbourhoods $(DEMO)/workspace --org R1H
	bash scripts/ensure-report-libs.sh $(BIN)/python
	rm -rf out
	$(BIN)/ladder report $(DEMO)/workspace --out out --pdf --xlsx
	@echo "Every indicator: .venv/bin/ladder metrics $(DEMO)/workspace  (or --format json)"
	@echo "Where people live: .venv/bin/ladder place match $(DEMO)/workspace"
	@echo "                   .venv/bin/ladder place neighbourhoods $(DEMO)/workspace --org RQX"
	@echo "Reports (HTML, PDF, XLSX) for each trust: $(CURDIR)/out/"
	$(BIN)/python scripts/demo_web.py $(DEMO)/workspace
	@if [ "$${LADDER_DEMO_SERVE:-auto}" = 1 ] || { [ "$${LADDER_DEMO_SERVE:-auto}" = auto ] && [ -t 0 ] && [ -t 1 ]; }; then \
	  echo "The web service: open http://127.0.0.1:8000 and sign in with a login above."; \
	  echo "It runs until you press Ctrl+C (Ctrl+C stops it; 'make serve' starts it again)."; \
	  $(BIN)/ladder serve --workspace $(DEMO)/workspace --insecure-dev; \
	else \
	  echo "Not a terminal, so the web service was not started: run 'make serve' (or"; \
	  echo "LADDER_DEMO_SERVE=1 make demo) and open http://127.0.0.1:8000."; \
	fi

## serve: the web service on http://127.0.0.1:8000 over the demo workspace (development only:
## plain http; add a user first: LADDER_PASSWORD=... .venv/bin/ladder user add demo/workspace
## you@example.nhs.uk --role admin). Production: docs/web.md.
serve: install
	$(BIN)/ladder serve --workspace $(DEMO)/workspace --insecure-dev

## test: everything the tests need (PostgreSQL server started if it is not), then the suite,
## one pytest worker per core (at most 4; a test file stays on one worker). TEST_WORKERS=0
## runs it in one process.
test: install
	bash scripts/ensure-postgres.sh
	bash scripts/ensure-java.sh
	bash scripts/ensure-report-libs.sh $(BIN)/python
	bash scripts/ensure-browser-tools.sh
	bash scripts/ensure-web-assets.sh
	$(BIN)/lint-imports
	$(BIN)/python -m pytest -q -n $(TEST_WORKERS) --maxprocesses 4 --dist loadfile

lint: install
	$(BIN)/ruff check src tests bench scripts
	$(BIN)/ruff format --check src tests bench scripts
	$(BIN)/mypy
	$(BIN)/lint-imports

format: install
	$(BIN)/ruff format src tests bench scripts
	$(BIN)/ruff check --fix src tests bench scripts

bench: install
	$(BIN)/python bench/bench_synth.py
	$(BIN)/python bench/bench_import.py
	$(BIN)/python bench/bench_metrics.py
	$(BIN)/python bench/bench_postcodes.py
	$(BIN)/python bench/bench_enrich.py
	$(BIN)/python bench/bench_startup.py
	$(BIN)/python bench/bench_stored_results.py
	$(BIN)/python bench/bench_disclosure.py --orgs 10

clean:
	rm -rf $(VENV) $(DEMO) out .pytest_cache .mypy_cache .ruff_cache
