"""A git estate in tmp_path with one lab change, approved for real, for the execution tests."""

from __future__ import annotations

import shutil
import subprocess
import time
from pathlib import Path
from typing import Any

import yaml
from changeops.yaml12 import load
from demo_keys import demo_key

REPO = Path(__file__).resolve().parents[2]
TEMPLATE = "CHG-20261208-core-smu-snmp"
AT = "2026-12-08T01:00:00+08:00"
CUSTOMER_KEY, PROVIDER_KEY = demo_key("liuyang"), demo_key("sunlei")

BACKUP_PLAY = """
- name: Lab backup (running-config to the controller and to flash for configure replace)
  hosts: "{{ target_hosts }}"
  gather_facts: false
  tasks:
    - name: Save running-config to the controller
      cisco.ios.ios_config:
        backup: true
        backup_options: {dir_path: "{{ backup_dir }}", filename: "{{ inventory_hostname }}.cfg"}
    - name: Keep a copy on flash
      cisco.ios.ios_command:
        commands:
          - {command: "copy running-config flash:pre-change.cfg", prompt: "Destination filename", answer: ""}
"""
CONFIG_PLAY = """
- name: Lab change
  hosts: "{{ target_hosts }}"
  gather_facts: false
  tasks:
    - name: Add the logging host
      cisco.ios.ios_config:
        lines: ["logging host {{ log_host }}"]
"""
VERIFY_PLAY = """
- name: Lab verification
  hosts: "{{ target_hosts }}"
  gather_facts: false
  tasks:
    - name: Read the logging configuration
      cisco.ios.ios_command:
        commands: ["show running-config | include logging host"]
      register: logging
    - name: No forbidden logging host (a stand-in for a broken service)
      ansible.builtin.assert:
        that: ["logging.stdout[0] is not search(forbidden_log_host)"]
"""


def remote_with_clones(origin: Path, where: Path, names: tuple[str, ...]) -> tuple[Path, list[Path]]:
    """A bare remote of ``origin`` at ``where/remote.git`` and a clone of it per name under ``where``."""
    remote = where / "remote.git"
    subprocess.run(["git", "clone", "-q", "--bare", str(origin), str(remote)], check=True)
    clones = [where / name for name in names]
    for clone in clones:
        subprocess.run(["git", "clone", "-q", str(remote), str(clone)], check=True)
    return remote, clones


def alive(pid: int) -> bool:
    """Whether process ``pid`` exists and is not a zombie."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except (OSError, IndexError):
        return False


def still_alive(pids: list[int], *, within: float = 10) -> list[int]:
    """The processes of ``pids`` still alive after waiting up to ``within`` seconds for them to end."""
    deadline = time.monotonic() + within
    while (living := [p for p in pids if alive(p)]) and time.monotonic() < deadline:
        time.sleep(0.05)
    return living


def naming(text: str) -> dict[int, list[str]]:
    """The live processes whose command line holds ``text``: each one's arguments."""
    found = {}
    for entry in Path("/proc").iterdir():
        try:
            if entry.name.isdigit():
                args = (entry / "cmdline").read_bytes().decode(errors="replace").split("\0")
                if text in " ".join(args) and alive(int(entry.name)):
                    found[int(entry.name)] = args
        except OSError:
            continue
    return found


def git(root: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=root, check=True, capture_output=True, text=True).stdout


def make_estate(root: Path, change_id: str, targets: list[str], *, steps: dict[str, Any] | None = None,
                playbooks: dict[str, str] | None = None, approve: bool = True,
                files: dict[str, str] | None = None) -> Path:
    """Copy the demo estate to ``root`` with only ``change_id`` in changes/, commit it on main, approve it."""
    for folder in ("changes", "inventory", "playbooks", "runbooks", "policies", "docs"):
        shutil.copytree(REPO / folder, root / folder, ignore=shutil.ignore_patterns(".changeops_cache", "__pycache__"))
    for folder in (root / "changes").iterdir():
        shutil.rmtree(folder)
    for name, text in {"lab-backup.yml": BACKUP_PLAY, "lab-config.yml": CONFIG_PLAY, "lab-verify.yml": VERIFY_PLAY,
                       **(playbooks or {})}.items():
        (root / "playbooks" / name).write_text(text, encoding="utf-8")
    for name, text in (files or {}).items():
        target = root / name
        target.write_text((target.read_text(encoding="utf-8") if target.exists() else "") + text, encoding="utf-8")
    data = load((REPO / "changes" / TEMPLATE / "change.yaml").read_bytes()).data
    data.update(id=change_id, targets=targets)
    data["risk"]["level"] = "low"
    data.update(steps or default_steps())
    for name in ("precheck", "backup", "implementation", "verification", "rollback"):
        if data.get(name) is None:
            data.pop(name, None)
    folder = root / "changes" / change_id
    folder.mkdir(parents=True)
    (folder / "change.yaml").write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "estate")
    if approve:
        approve_change(root, change_id)
    return root


def default_steps(log_host: str = "10.20.250.99", forbidden: str = "10.99.99.99") -> dict[str, Any]:
    return {
        "precheck": None,
        "backup": {"playbook": "lab-backup.yml"},
        "implementation": {"playbook": "lab-config.yml", "vars": {"log_host": log_host}},
        "verification": {"playbook": "lab-verify.yml", "vars": {"forbidden_log_host": forbidden}},
        "rollback": {"playbook": "rollback.yml", "description": "Restore the saved configuration.",
                     "vars": {"rollback_action": "config-replace"}},
    }


def approve_change(root: Path, change_id: str) -> None:
    from changeops.cli import main

    for key in (CUSTOMER_KEY, PROVIDER_KEY):
        assert main(["approve", change_id, "--key", str(key), "--repo", str(root)]) == 0
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", f"approve {change_id}")


def summary(folder: Path) -> dict[str, Any]:
    return yaml.safe_load((folder / "summary.yaml").read_text(encoding="utf-8"))
