"""One lock per target device, as git refs ``refs/changeops/locks/<host>`` (pushed with compare-and-swap).

Every runner of the repository sees them: locally they are refs of the clone, and with a
remote the lock exists only once the remote accepted it, so two clones never both hold a
device. A lock names its run and process (machine, pid, process start time), so a lock
left by a killed run on this machine is recognised as stale.
"""

from __future__ import annotations

import json
import os
import socket
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from changeops import git as gitops


@dataclass(frozen=True)
class Holder:
    """Who holds a device's lock."""

    host: str
    sha: str
    run: str
    change: str
    machine: str
    pid: int
    process_start: str

    @property
    def stale(self) -> bool:
        """The holding process is gone (only decidable for a lock taken on this machine)."""
        return self.machine == socket.gethostname() and not process_alive(self.pid, self.process_start)

    def describe(self) -> str:
        return f"{self.host} is locked by run {self.run} of {self.change} ({self.machine} pid {self.pid})"


def process_start(pid: int) -> str:
    """The kernel's start time of ``pid`` (tells a reused pid from the original), empty if it is gone."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[19]
    except (OSError, IndexError):
        return ""


def process_alive(pid: int, started: str) -> bool:
    current = process_start(pid)
    return bool(current) and (not started or current == started)


def me() -> dict[str, object]:
    pid = os.getpid()
    return {"machine": socket.gethostname(), "pid": pid, "process_start": process_start(pid)}


def holder(repo, host: str, *, refresh: bool = True) -> Holder | None:
    found = gitops.read_lock(repo, host, refresh=refresh)
    if found is None:
        return None
    sha, payload = found
    try:
        data = json.loads(payload)
    except ValueError:
        data = {}
    return Holder(host, sha, data.get("run", "?"), data.get("change", "?"), data.get("machine", "?"),
                  int(data.get("pid", 0) or 0), str(data.get("process_start", "")))


def acquire(repo, hosts: list[str], *, run_id: str, change_id: str) -> tuple[dict[str, str], list[Holder]]:
    """Lock every host (sorted, all or none): (host -> lock SHA, []) or ({}, the holders in the way)."""
    taken: dict[str, str] = {}
    started = datetime.now(UTC).isoformat(timespec="seconds")
    for host in sorted(hosts):
        payload = json.dumps({"run": run_id, "change": change_id, "host": host, "started": started, **me()})
        sha = gitops.create_lock(repo, host, payload)
        if sha is None:
            release(repo, taken)
            current = holder(repo, host)
            return {}, [current] if current else [Holder(host, "", "?", "?", "?", 0, "")]
        taken[host] = sha
    return taken, []


def release(repo, locks: dict[str, str]) -> list[str]:
    """Release the locks (only those still ours); the hosts whose release the remote refused."""
    return [host for host, sha in locks.items() if not gitops.delete_lock(repo, host, sha)]
