"""changeops stands alone: it never imports the device lab (a separate distribution) or the lab's SSH server."""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
LAB_ONLY = ("changeops_lab", "asyncssh")


def test_no_product_module_imports_the_lab() -> None:
    grimp = pytest.importorskip("grimp")
    graph = grimp.build_graph("changeops", include_external_packages=True)
    offending = sorted(
        f"{module} -> {imported}"
        for module in graph.modules if module.startswith("changeops.") or module == "changeops"
        for imported in graph.find_modules_directly_imported_by(module)
        if imported.split(".")[0] in LAB_ONLY or imported.startswith("changeops.lab")
    )
    assert offending == []


def test_the_cli_starts_without_loading_asyncssh() -> None:
    probe = "import sys, changeops.cli; print(sorted(m for m in ('asyncssh', 'ansible_runner') if m in sys.modules))"
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=60, check=False)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


def test_changeops_does_not_depend_on_the_lab_or_asyncssh() -> None:
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    requirements = [r.lower() for r in project["dependencies"]]
    assert not [r for r in requirements if r.startswith(("asyncssh", "changeops-lab"))]


def test_the_lab_distribution_depends_on_changeops_and_registers_the_lab_command() -> None:
    lab = tomllib.loads((REPO / "tooling/changeops_lab/pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert lab["name"] == "changeops-lab"
    assert {"changeops", "asyncssh==2.24.1"} <= set(lab["dependencies"])
    assert lab["entry-points"]["changeops.commands"] == {"lab": "changeops_lab.cli:app"}
