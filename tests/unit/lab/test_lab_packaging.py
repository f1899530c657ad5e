"""The lab as a distribution: mounted into changeops by its entry point, no import cycles, Ansible loaded late."""

from __future__ import annotations

import itertools
import subprocess
import sys
from importlib import metadata

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


def test_the_installed_lab_is_what_changeops_mounts_as_lab() -> None:
    if not metadata.entry_points(group="changeops.commands", name="lab"):
        pytest.skip("changeops-lab's metadata is not installed (its code is only on the path)")
    from changeops import cli
    from changeops_lab.cli import app

    mounted = {group.name: group.typer_instance for group in cli.app.registered_groups}
    assert mounted.get("lab") is app
