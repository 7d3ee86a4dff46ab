# Thin wrapper: the work is in tasks.py, which needs nothing but Python.
PYTHON ?= python3

.PHONY: run test setup bench bench-cli
run:
	$(PYTHON) tasks.py run
test:
	$(PYTHON) tasks.py test
setup:
	$(PYTHON) tasks.py setup
bench:
	$(PYTHON) tasks.py setup && .venv/bin/python benchmarks/run.py --explorer --output benchmarks/results.md
# the command line as whole processes (issue 19): a section of benchmarks/results.md
bench-cli:
	$(PYTHON) tasks.py setup && .venv/bin/python benchmarks/bench_cli.py --output benchmarks/results.md
