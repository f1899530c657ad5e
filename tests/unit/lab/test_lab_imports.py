"""The lab's modules form no import cycles, and using the harness does not load Ansible until a playbook runs."""

from __future__ import annotations

import itertools
import subprocess
import sys

import pytest


def test_no_import_cycles_between_lab_modules() -> None:
    grimp = pytest.importorskip("grimp")
    graph = grimp.build_graph("changeops_lab")  # TYPE_CHECKING imports count: a cycle there is still a cycle
    modules = sorted(m for m in graph.modules if m != "changeops_lab")
    cycles = [
        (a, b) for a, b in itertools.combinations(modules, 2)
        if graph.chain_exists(importer=a, imported=b) and graph.chain_exists(importer=b, imported=a)
    ]
    assert cycles == []


def test_the_harness_imports_without_ansible_runner() -> None:
    probe = ("import sys, changeops_lab.harness, changeops_lab.playbooks, changeops_lab.cli; "
             "print('ansible_runner' in sys.modules)")
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=60, check=False)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"
