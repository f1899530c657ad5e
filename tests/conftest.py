"""Fixtures shared by unit and integration tests."""

from __future__ import annotations

import importlib.util
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from changeops_lab.harness import Lab

REPO = Path(__file__).resolve().parent.parent
ESTATE_FOLDERS = ("changes", "inventory", "playbooks", "runbooks", "policies", "docs", "reports")
LAB_MISSING = "the device lab is not installed (pip install -e tooling/changeops_lab; scripts/setup.sh test does)"


def _lab_installed() -> bool:
    """True when the changeops-lab distribution is importable (not just its folder under tooling/)."""
    try:
        return importlib.util.find_spec("changeops_lab.harness") is not None
    except ModuleNotFoundError:
        return False


LAB_INSTALLED = _lab_installed()
# The lab's own tests import changeops_lab at the top; without it they are not collected (the header says so).
collect_ignore_glob = [] if LAB_INSTALLED else ["unit/lab/*", "integration/test_lab_*.py"]


def pytest_report_header(config: pytest.Config) -> str:
    return "changeops-lab: installed" if LAB_INSTALLED else f"changeops-lab: {LAB_MISSING}; its tests are not collected"


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Nothing a test runs may read or write the machine's own git or Ansible configuration."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(home / ".gitconfig"))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    monkeypatch.setenv("GIT_AUTHOR_NAME", "Test Engineer")
    monkeypatch.setenv("GIT_AUTHOR_EMAIL", "engineer@example.test")
    monkeypatch.setenv("GIT_COMMITTER_NAME", "Test Engineer")
    monkeypatch.setenv("GIT_COMMITTER_EMAIL", "engineer@example.test")
    monkeypatch.setenv("ANSIBLE_HOME", str(home / ".ansible"))
    monkeypatch.setenv("NO_MKDOCS_2_WARNING", "1")


def copy_estate(target: Path) -> Path:
    """A copy of the demo estate (records, inventory, playbooks, runbooks, ...) at ``target``."""
    for folder in ESTATE_FOLDERS:
        if (REPO / folder).is_dir():
            shutil.copytree(REPO / folder, target / folder,
                            ignore=shutil.ignore_patterns(".changeops_cache", "__pycache__"))
    return target


@pytest.fixture
def estate_root(tmp_path: Path) -> Path:
    """A writable copy of the demo estate."""
    return copy_estate(tmp_path / "estate")


@pytest.fixture(scope="session")
def lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Lab]:
    """A running device lab serving the demo inventory: a ``changeops_lab.harness.Lab``.

    Simulated IOS-XE devices for the `ios` group, sshd Linux hosts for `linux`
    (when /usr/sbin/sshd exists), reloads that take 1 s. Shared by the whole
    session: a test that changes a device should ``lab.control.reset(host)``
    first or use a host no other test changes. Tests that use it are skipped when
    the lab is not installed.
    """
    if not LAB_INSTALLED:
        pytest.skip(LAB_MISSING)
    from changeops_lab.harness import start_lab

    base = tmp_path_factory.mktemp("lab")
    running = start_lab(base / "state", estate=REPO, reload_seconds=1.0, artifacts=base / "runs")
    yield running
    running.stop()
