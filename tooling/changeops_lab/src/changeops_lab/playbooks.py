"""Run a playbook against the lab through ansible-runner and keep what each host reported.

For tests and the benchmark: the real inventory plus the lab overlay (absolute
paths), this Python's bin dir first on PATH, artifacts in a folder of the
caller's choosing. The result keeps the runner events per host so a test can
compare what Ansible says it sent with the lab's session log.

ansible-runner is imported when a playbook runs, not with this module: the
lab serves devices without Ansible installed (``changeops-lab[ansible]`` adds it).
"""

from __future__ import annotations

import importlib
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

from changeops_lab.errors import LabError


@dataclass
class HostTask:
    """One task's outcome on one host (from a runner_on_* event)."""

    host: str
    task: str
    status: str
    result: dict[str, Any]


@dataclass
class PlayResult:
    rc: int
    status: str
    tasks: list[HostTask] = field(default_factory=list)
    stdout: str = ""

    def for_host(self, host: str, task: str | None = None) -> list[HostTask]:
        return [t for t in self.tasks if t.host == host and (task is None or t.task == task)]

    def last(self, host: str, task: str) -> HostTask:
        """The final outcome of ``task`` on ``host`` (after retries)."""
        found = self.for_host(host, task)
        if not found:
            raise KeyError(f"task {task!r} did not run on {host}; ran: {sorted({t.task for t in self.tasks})}")
        return found[-1]

    def stats(self) -> dict[str, set[str]]:
        out: dict[str, set[str]] = {}
        for t in self.tasks:
            out.setdefault(t.status, set()).add(t.host)
        return out


_STATUS = {"runner_on_ok": "ok", "runner_on_failed": "failed", "runner_on_unreachable": "unreachable",
           "runner_on_skipped": "skipped"}


def run_playbook(playbook: Path, *, inventories: list[Path], artifacts: Path, limit: str | None = None,
                 extravars: dict[str, Any] | None = None, forks: int = 10, check: bool = False,
                 diff: bool = False, env: dict[str, str] | None = None, quiet: bool = True) -> PlayResult:
    """Run ``playbook`` and collect per-host task results; never raises for failed hosts."""
    cmdline = " ".join(["--check"] * check + ["--diff"] * diff)
    runner = _ansible_runner(artifacts).run(
        private_data_dir=str(artifacts), playbook=str(playbook.resolve()),
        inventory=[str(p.resolve()) for p in inventories], limit=limit, extravars=extravars or {},
        forks=forks, cmdline=cmdline or None, envvars=runner_env(env), quiet=quiet,
        artifact_dir=str(artifacts / "artifacts"),
    )
    tasks = [
        HostTask(e["event_data"].get("host", ""), e["event_data"].get("task", ""), _STATUS[e["event"]],
                 e["event_data"].get("res") or {})
        for e in runner.events if e.get("event") in _STATUS
    ]
    return PlayResult(runner.rc, runner.status, tasks, runner.stdout.read() if runner.stdout else "")


def _ansible_runner(artifacts: Path) -> ModuleType:
    try:
        return importlib.import_module("ansible_runner")
    except ImportError as err:
        raise LabError(artifacts, f"cannot run playbooks: {err}", "pip install 'changeops-lab[ansible]'") from err


def runner_env(extra: dict[str, str] | None = None) -> dict[str, str]:
    """Environment for ansible-playbook: this interpreter's script dirs first on PATH, no host key prompts."""
    env = {
        "PATH": os.pathsep.join([*_script_dirs(), "/usr/local/bin", "/usr/bin", "/bin"]),
        "ANSIBLE_HOST_KEY_CHECKING": "False", "ANSIBLE_DEPRECATION_WARNINGS": "False",
        "ANSIBLE_PYTHON_INTERPRETER": "auto_silent", "ANSIBLE_NOCOLOR": "1", "ANSIBLE_RETRY_FILES_ENABLED": "False",
    }
    return {**env, **(extra or {})}


def _script_dirs() -> list[str]:
    """This interpreter's bin dir, then (in a venv) its base installation's.

    A venv made with ``--system-site-packages`` imports the base's packages,
    Ansible among them, but has none of their scripts (``ansible-playbook``).
    """
    own = Path(sys.executable).parent
    base = Path(sys.base_prefix) / "bin"
    return [str(own)] if sys.prefix == sys.base_prefix or base == own else [str(own), str(base)]
