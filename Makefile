# The two commands of the README.
#   make demo   install, then run the main job on the demo estate
#   make test   install test dependencies, then run the whole test suite
PYTHON ?= python3

.PHONY: demo test bench

demo:
	scripts/setup.sh
	scripts/demo.sh

test:
	scripts/setup.sh test
	$(PYTHON) -m pytest -q

bench:
	$(PYTHON) bench/validate_bench.py
