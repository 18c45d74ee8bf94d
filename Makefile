# Two entry points that work on a fresh machine: `make demo` and `make test`.
# Python packages go into .venv (pip); the few Debian packages pip cannot provide (fonts, the
# browser and PostgreSQL for tests, poppler) are installed by scripts/install-system-packages.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
SAMPLE_FILES := data/sample/leipzig_ru.csv data/sample/dresden_de.xlsx \
	data/sample/chemnitz_codes.sav data/sample/kobo_export.csv data/sample/online.jsonl

DEMO_PACKAGES := fonts-noto-core
TEST_PACKAGES := $(DEMO_PACKAGES) poppler-utils chromium postgresql

.PHONY: demo test bench bench-stats clean system-demo system-test

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

# The repository is itself a survey project: questionnaires/, analysis/, data/sample/.
# Ingest exits 3 when rows were quarantined, which the sample files plant on purpose.
system-demo:
	@scripts/install-system-packages $(DEMO_PACKAGES)

system-test:
	@scripts/install-system-packages $(TEST_PACKAGES)

demo: $(STAMP) system-demo
	$(BIN)/survey validate questionnaires/ --no-coverage
	$(BIN)/survey paper questionnaires/zusammen.yaml --bilingual de+ar --out paper
	rm -f data/store.sqlite data/store.sqlite-wal data/store.sqlite-shm
	$(BIN)/survey ingest . $(SAMPLE_FILES) --user demo || [ $$? -eq 3 ]
	$(BIN)/survey analyse . --plan analysis/needs-assessment.yaml --out results
	$(BIN)/survey report . --plan analysis/needs-assessment.yaml --audience council
	$(BIN)/survey report . --plan analysis/needs-assessment.yaml --audience conference
	$(BIN)/survey export . --format sav
	$(BIN)/survey codebook questionnaires/zusammen.yaml --format html --project . \
		--out exports/codebook.html
	@echo
	@echo "Outputs:"
	@echo "  paper forms (PDF per language, German+Arabic, layout files): paper/"
	@echo "  import reports (XLSX, one per file):  imports/"
	@echo "  the store of responses (SQLite):       data/store.sqlite"
	@echo "  results table, weights, diagnostics:   results/"
	@echo "  council report, one-pagers, tables:    published/council-de/"
	@echo "  conference slides and chart pack:      published/conference-de/"
	@echo "  SPSS file with labels, codebook:       exports/"
	@echo "The online form: $(BIN)/survey serve .  (then open http://127.0.0.1:8080/s/zusammen/)"

test: $(STAMP) system-test
	$(BIN)/ruff check survey tests benchmarks data
	$(BIN)/pytest -q

bench: $(STAMP)
	$(BIN)/python benchmarks/load_questionnaire.py
	$(BIN)/python benchmarks/read_files.py
	$(BIN)/python benchmarks/ingest_files.py
	$(BIN)/python benchmarks/analysis_plan.py
	$(BIN)/python benchmarks/paper_forms.py
	$(BIN)/python benchmarks/server_load.py
	$(BIN)/python benchmarks/report.py
	$(BIN)/python benchmarks/export_files.py
	$(BIN)/python benchmarks/entry_keystrokes.py
	$(BIN)/python benchmarks/scan_pages.py

# The statistics benchmark times our estimates against samplics and svy, which are installed
# only in this separate environment, never as dependencies of the toolkit.
bench-stats: pyproject.toml
	$(PYTHON) -m venv .venv-bench
	.venv-bench/bin/pip install --quiet -e . samplics svy
	.venv-bench/bin/python benchmarks/stats_estimates.py

clean:
	rm -rf $(VENV) .venv-bench .pytest_cache .ruff_cache .hypothesis
