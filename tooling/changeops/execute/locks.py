"""One lock per target device, as git refs ``refs/changeops/locks/<host>`` (pushed with compare-and-swap).

Every runner of the repository sees them: locally they are refs of the clone, and with a
remote the lock exists only once the remote accepted it, so two clones never both hold a
device. A lock announces its run on the remote before the first device command: run id,
change, targets, machine, pid, process start time, start and a **lease**. The lease ends
when the run must be over (the sum of its stages' time limits, plus a margin), so any
runner on any machine can tell a lock whose runner is lost: stale when its lease has
expired, or, on the machine that took it, as soon as its process is gone.
"""

from __future__ import annotations

import hashlib
import json
import os
import socket
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import git

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
    lease_until: datetime | None = None
    started: str = ""
    targets: tuple[str, ...] = ()

    @property
    def expired(self) -> bool:
        return self.lease_until is not None and datetime.now(UTC) > self.lease_until

    @property
    def gone_here(self) -> bool:
        """Taken on this machine by a process that is gone."""
        return self.machine == machine() and not process_alive(self.pid, self.process_start)

    @property
    def stale(self) -> bool:
        """The lease has expired, or the holding process on this machine is gone."""
        return self.gone_here or self.expired

    def describe(self) -> str:
        return f"{self.host} is locked by run {self.run} of {self.change} ({self.machine} pid {self.pid})"


def machine() -> str:
    """This machine as locks and journals name it: the host name, and a digest of the kernel's boot ID and this
    process's PID namespace.

    A process ID names the same process only under the same boot and PID namespace. With the host name
    alone, two machines or containers given the same name would each take the other's runs for their own,
    find the process "gone", and release a lock whose run is still changing devices.
    """
    name = socket.gethostname()
    try:
        boot = Path("/proc/sys/kernel/random/boot_id").read_text(encoding="ascii").strip()
        namespace = os.readlink("/proc/self/ns/pid")
    except OSError:
        return name
    return f"{name} [{hashlib.sha256(f'{boot} {namespace}'.encode()).hexdigest()[:8]}]"


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
    return {"machine": machine(), "pid": pid, "process_start": process_start(pid)}


def holder(repo: git.Repo, host: str, *, refresh: bool = True) -> Holder | None:
    found = gitops.read_lock(repo, host, refresh=refresh)
    if found is None:
        return None
    return holder_of(host, *found)


def holder_of(host: str, sha: str, payload: str) -> Holder:
    """The holder a lock's payload names (unknown fields for a payload that is not ours)."""
    try:
        data = json.loads(payload)
    except ValueError:
        data = {}
    if not isinstance(data, dict):
        data = {}
    listed = data.get("targets")
    targets: list[Any] = listed if isinstance(listed, list) else []
    return Holder(host, sha, str(data.get("run", "?")), str(data.get("change", "?")), str(data.get("machine", "?")),
                  int(data.get("pid", 0) or 0), str(data.get("process_start", "")), _lease(data.get("lease_until")),
                  str(data.get("started", "")), tuple(str(t) for t in targets))


def _lease(value: object) -> datetime | None:
    try:
        return datetime.fromisoformat(str(value)).astimezone(UTC) if value else None
    except ValueError:
        return None


def acquire(repo: git.Repo, hosts: list[str], *, run_id: str, change_id: str,
            lease_until: datetime | None = None) -> tuple[dict[str, str], list[Holder]]:
    """Lock every host (sorted, all or none): (host -> lock SHA, []) or ({}, the holders in the way)."""
    taken: dict[str, str] = {}
    started = datetime.now(UTC).isoformat(timespec="seconds")
    lease = lease_until.astimezone(UTC).isoformat(timespec="seconds") if lease_until else None
    for host in sorted(hosts):
        payload = json.dumps({"run": run_id, "change": change_id, "host": host, "targets": sorted(hosts),
                              "started": started, "lease_until": lease, **me()})
        sha = gitops.create_lock(repo, host, payload)
        if sha is None:
            release(repo, taken)
            current = holder(repo, host)
            return {}, [current] if current else [Holder(host, "", "?", "?", "?", 0, "")]
        taken[host] = sha
    return taken, []


def release(repo: git.Repo, locks: dict[str, str]) -> list[str]:
    """Release the locks (only those still ours); the hosts whose release the remote refused."""
    return [host for host, sha in locks.items() if not gitops.delete_lock(repo, host, sha)]
