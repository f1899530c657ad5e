"""Where the harness looks for ansible-playbook, and what it does without ansible-runner."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from changeops_lab import playbooks
from changeops_lab.errors import LabError


def _path(monkeypatch: pytest.MonkeyPatch, executable: str, prefix: str, base_prefix: str) -> list[str]:
    monkeypatch.setattr(sys, "executable", executable)
    monkeypatch.setattr(sys, "prefix", prefix)
    monkeypatch.setattr(sys, "base_prefix", base_prefix)
    return playbooks.runner_env()["PATH"].split(":")


def test_a_venv_finds_its_own_scripts_first_then_its_base_installations(monkeypatch: pytest.MonkeyPatch) -> None:
    path = _path(monkeypatch, "/work/.venv/bin/python", "/work/.venv", "/opt/python3.11")
    assert path[:2] == ["/work/.venv/bin", "/opt/python3.11/bin"]


def test_outside_a_venv_only_the_interpreters_bin_dir_comes_first(monkeypatch: pytest.MonkeyPatch) -> None:
    path = _path(monkeypatch, "/opt/python3.11/bin/python3", "/opt/python3.11", "/opt/python3.11")
    assert path == ["/opt/python3.11/bin", "/usr/local/bin", "/usr/bin", "/bin"]


def test_without_ansible_runner_a_playbook_run_is_a_lab_error(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setitem(sys.modules, "ansible_runner", None)  # makes `import ansible_runner` fail
    with pytest.raises(LabError, match="cannot run playbooks") as raised:
        playbooks.run_playbook(tmp_path / "play.yml", inventories=[], artifacts=tmp_path)
    assert "changeops-lab[ansible]" in str(raised.value)
