# Thin wrapper: the work is in tasks.py, which needs nothing but Python.
PYTHON ?= python3

.PHONY: run test setup bench
run:
	$(PYTHON) tasks.py run
test:
	$(PYTHON) tasks.py test
setup:
	$(PYTHON) tasks.py setup
bench:
	$(PYTHON) tasks.py setup && .venv/bin/python benchmarks/run.py --explorer --output benchmarks/results.md
