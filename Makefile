# The two commands of the README, on a stock Debian 12 / Ubuntu 24.04 with python3, python3-venv, make and git:
#   make demo   install (apt packages, the project's .venv/), then run the main job on the demo estate
#   make test   install the test dependencies too, then run the test suite (PYTEST_ARGS to choose tests)
# Everything Python runs from .venv/; PYTHON only picks the interpreter that creates it.
PYTHON ?= python3
VENV := .venv
PYTEST_ARGS ?=
# The venv's tools first on PATH: the demo and the tests call changeops, ansible-playbook and mkdocs.
export PATH := $(CURDIR)/$(VENV)/bin:$(PATH)
export NO_MKDOCS_2_WARNING := 1

.PHONY: demo test bench

demo:
	PYTHON=$(PYTHON) scripts/setup.sh demo
	scripts/demo.sh

test:
	PYTHON=$(PYTHON) scripts/setup.sh test
	$(VENV)/bin/python -m pytest -q $(PYTEST_ARGS)

bench:
	PYTHON=$(PYTHON) scripts/setup.sh demo
	$(VENV)/bin/python bench/validate_bench.py
