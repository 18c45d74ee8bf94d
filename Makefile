# Two entry points that work on a fresh machine: `make demo` and `make test`.
# Everything is installed into .venv by pip; nothing is needed beyond Python 3.11+.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test bench bench-stats clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/survey validate questionnaires/
	$(BIN)/survey show questionnaires/zusammen.yaml
	@echo
	@echo "Checked every questionnaire in questionnaires/ and printed the flagship"
	@echo "questionnaires/zusammen.yaml above. Other languages: $(BIN)/survey show questionnaires/zusammen.yaml --lang ar"

test: $(STAMP)
	$(BIN)/ruff check survey tests benchmarks data
	$(BIN)/pytest -q

bench: $(STAMP)
	$(BIN)/python benchmarks/load_questionnaire.py

# The statistics benchmark times our estimates against samplics and svy, which are installed
# only in this separate environment, never as dependencies of the toolkit.
bench-stats: pyproject.toml
	$(PYTHON) -m venv .venv-bench
	.venv-bench/bin/pip install --quiet -e . samplics svy
	.venv-bench/bin/python benchmarks/stats_estimates.py

clean:
	rm -rf $(VENV) .venv-bench .pytest_cache .ruff_cache .hypothesis
