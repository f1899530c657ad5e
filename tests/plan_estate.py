"""A minimal git estate for the bundle tests: one change on one `ansible_connection: local` host."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Mapping
from pathlib import Path

import yaml
from changeops.yaml12 import load

REPO = Path(__file__).resolve().parent.parent
CHANGE = "CHG-20261208-core-smu-snmp"
STEPS = ("precheck", "backup", "implementation", "verification", "rollback")

HOSTS = """\
all:
  children:
    lab:
      hosts:
        node1:
          ansible_connection: local
          ansible_python_interpreter: "{{ ansible_playbook_python }}"
        node2:
          ansible_connection: local
          ansible_python_interpreter: "{{ ansible_playbook_python }}"
    spare:
      hosts:
        node3:
"""

SITE = """\
- name: The approved plan
  hosts: all
  gather_facts: false
  tasks:
    - name: Say what the plan holds
      ansible.builtin.debug:
        msg: "payload={{ payload | default('none') }}"
"""


def write(root: Path, files: Mapping[str, str | bytes], *, executable: tuple[str, ...] = ()) -> None:
    """Write ``files`` (repository path -> text or bytes) under ``root``."""
    for name, content in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content.encode() if isinstance(content, str) else content)
        if name in executable:
            os.chmod(path, 0o755)


def record_text(targets: list[str], playbook: str = "site.yml") -> str:
    """The demo patch record, retargeted, every step running ``playbook``."""
    data = load((REPO / "changes" / CHANGE / "change.yaml").read_bytes()).data
    data["targets"] = targets
    for step in STEPS:
        data[step] = {"playbook": playbook}
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


def make_estate(root: Path, *, targets: tuple[str, ...] = ("node1",), site: str = SITE,
                extra: Mapping[str, str | bytes] | None = None) -> Path:
    """An estate at ``root``: the record, inventory/hosts.yml, playbooks/site.yml and ``extra`` files."""
    write(root, {f"changes/{CHANGE}/change.yaml": record_text(list(targets)), "inventory/hosts.yml": HOSTS,
                 "playbooks/site.yml": site, **(extra or {})})
    return root


def commit(root: Path, message: str = "estate") -> str:
    """Commit everything under ``root`` (a new repository if needed); the new SHA."""
    if not (root / ".git").exists():
        git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-q", "--allow-empty", "-m", message)
    return git(root, "rev-parse", "HEAD").strip()


def git(root: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=root, check=True, capture_output=True, text=True).stdout
