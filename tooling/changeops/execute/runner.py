"""One playbook through ansible-runner: private data dir of its own, absolute paths, a clean environment.

The change's step variables and ``target_hosts`` go to Ansible as extravars (Ansible
templates them, never changeops). Every runner event is handed to ``on_event`` as it
happens, so a run killed mid-stage keeps what happened up to then. Network sessions
are logged to ``session.log`` in the stage's folder for the transcripts.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

PASS_THROUGH = ("HOME", "LANG", "LC_ALL", "TZ", "USER", "LOGNAME", "SSH_AUTH_SOCK", "ANSIBLE_HOME",
                "ANSIBLE_CONFIG", "ANSIBLE_COLLECTIONS_PATH", "ANSIBLE_VAULT_PASSWORD_FILE")
PASS_PREFIXES = ("CHANGEOPS_NET_", "CHANGEOPS_LINUX_")
HOST_STATES = ("ok", "failed", "unreachable", "skipped")


@dataclass
class StageRun:
    """What one playbook run did: rc, each host's outcome, its events and where its session log is."""

    name: str
    playbook: str
    rc: int
    status: str
    hosts: dict[str, str]
    events: list[dict[str, Any]] = field(default_factory=list, repr=False)
    session_log: Path | None = None
    stats: dict[str, Any] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.rc == 0 and all(state in ("ok", "skipped") for state in self.hosts.values())


def clean_env(*, session_log: Path, extra: dict[str, str] | None = None) -> dict[str, str]:
    """The environment ansible-playbook gets: this interpreter's bin dir first on PATH, nothing inherited blindly."""
    bin_dir = str(Path(sys.executable).parent)
    env = {name: os.environ[name] for name in PASS_THROUGH if name in os.environ}
    env.update({name: value for name, value in os.environ.items() if name.startswith(PASS_PREFIXES)})
    env.update({
        "PATH": os.pathsep.join([bin_dir, "/usr/local/bin", "/usr/bin", "/bin"]),
        "ANSIBLE_NOCOLOR": "1", "ANSIBLE_RETRY_FILES_ENABLED": "False", "ANSIBLE_DEPRECATION_WARNINGS": "False",
        "ANSIBLE_PYTHON_INTERPRETER": "auto_silent",
        "ANSIBLE_LOG_PATH": str(session_log), "ANSIBLE_PERSISTENT_LOG_MESSAGES": "True",
    })
    vault_file = os.environ.get("CHANGEOPS_VAULT_PASSWORD_FILE")
    if vault_file:
        env["ANSIBLE_VAULT_PASSWORD_FILE"] = str(Path(vault_file).resolve())
    return {**env, **(extra or {})}


def run_stage(*, name: str, playbook: Path, inventories: list[Path], extravars: dict[str, Any], folder: Path,
              targets: list[str], check: bool = False, forks: int = 10,
              on_event: Callable[[dict[str, Any]], None] | None = None) -> StageRun:
    """Run ``playbook`` for one stage in ``folder`` (its private data dir); never raises for failed hosts."""
    import ansible_runner  # heavy: only when something runs

    folder.mkdir(parents=True, exist_ok=True)
    session_log = folder / "session.log"
    events: list[dict[str, Any]] = []

    def keep(event: dict[str, Any]) -> bool:
        events.append(event)
        if on_event is not None:
            on_event(event)
        return False  # the runner need not write job_events/ to disk: we keep them ourselves

    runner = ansible_runner.run(
        private_data_dir=str(folder), playbook=str(playbook.resolve()),
        inventory=[str(p.resolve()) for p in inventories], extravars=extravars, forks=forks,
        cmdline="--check --diff" if check else None, envvars=clean_env(session_log=session_log),
        quiet=True, event_handler=keep, artifact_dir=str(folder / "artifacts"), ident="run",
        suppress_output_file=True,
    )
    return StageRun(name, playbook.name, runner.rc, runner.status, host_states(events, targets), events,
                    session_log, _stats(events))


def host_states(events: list[dict[str, Any]], targets: list[str]) -> dict[str, str]:
    """Per host: unreachable, failed (not ignored), ok, or skipped when nothing ran on it."""
    seen: dict[str, set[str]] = {}
    for event in events:
        data = event.get("event_data") or {}
        host, kind = data.get("host"), event.get("event", "")
        if not host:
            continue
        marks = seen.setdefault(host, set())
        if kind == "runner_on_unreachable" and not data.get("ignore_unreachable"):
            marks.add("unreachable")
        elif kind == "runner_on_failed" and not data.get("ignore_errors"):
            marks.add("failed")
        elif kind in ("runner_on_ok", "runner_on_failed", "runner_on_unreachable"):
            marks.add("ok")
    states = {}
    for host in sorted(set(targets) | set(seen)):
        marks = seen.get(host, set())
        states[host] = next((s for s in ("unreachable", "failed", "ok") if s in marks), "skipped")
    return states


def _stats(events: list[dict[str, Any]]) -> dict[str, Any]:
    """What the playbook published with set_stats."""
    for event in reversed(events):
        if event.get("event") == "playbook_on_stats":
            return (event.get("event_data") or {}).get("artifact_data") or {}
    return {}
