"""The demo playbooks are real Ansible: each passes `ansible-playbook --syntax-check` with the collections."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from changeops.estate.layout import Estate
from changeops.records.model import parse_change
from changeops.yaml12 import load

pytestmark = pytest.mark.integration
REPO = Path(__file__).resolve().parents[2]
PLAYBOOKS = sorted((REPO / "playbooks").glob("*.yml"))


def test_every_playbook_a_record_names_exists_and_is_checked() -> None:
    named = {step.playbook for path in Estate(REPO).record_files()
             for step in parse_change(load(path.read_bytes()).data).steps().values()}
    assert named <= {p.name for p in PLAYBOOKS}


@pytest.mark.parametrize("playbook", PLAYBOOKS, ids=lambda p: p.name)
def test_syntax_check(playbook: Path, tmp_path: Path) -> None:
    binary = Path(sys.executable).parent / "ansible-playbook"
    command = str(binary) if binary.exists() else shutil.which("ansible-playbook")
    assert command, "ansible-playbook is not installed: pip install -e '.[ansible]'"
    env = {**os.environ, "ANSIBLE_HOME": str(tmp_path), "ANSIBLE_LOCAL_TEMP": str(tmp_path / "tmp")}
    result = subprocess.run([command, "--syntax-check", "-i", str(REPO / "inventory/hosts.yml"), str(playbook)],
                            cwd=REPO, env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
