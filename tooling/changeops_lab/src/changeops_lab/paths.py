"""Where a lab keeps its files (the state dir, `.lab/` in a repository, git-ignored)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

DEFAULT_STATE_DIR = ".lab"


@dataclass(frozen=True)
class LabPaths:
    root: Path

    @property
    def lab_json(self) -> Path:
        """Ports, pids, control address of the running lab; written when it is ready."""
        return self.root / "lab.json"

    @property
    def supervisor_pid(self) -> Path:
        return self.root / "supervisor.pid"

    @property
    def supervisor_log(self) -> Path:
        return self.root / "supervisor.log"

    @property
    def pids(self) -> Path:
        """One ``<name>.pid`` per process the supervisor started (sshd), written at spawn time."""
        return self.root / "pids"

    @property
    def credentials(self) -> Path:
        return self.root / "credentials.json"

    @property
    def keys(self) -> Path:
        return self.root / "keys"

    @property
    def client_key(self) -> Path:
        return self.keys / "id_ed25519"

    @property
    def device_host_key(self) -> Path:
        return self.keys / "device_host_key"

    @property
    def authorized_keys(self) -> Path:
        return self.keys / "authorized_keys"

    @property
    def sessions(self) -> Path:
        return self.root / "sessions"

    def session_log(self, host: str) -> Path:
        return self.sessions / f"{host}.log"

    @property
    def linux(self) -> Path:
        return self.root / "linux"

    def linux_host(self, host: str) -> Path:
        return self.linux / host

    @property
    def overlay(self) -> Path:
        return self.root / "inventory.yml"

    @property
    def snapshots(self) -> Path:
        return self.root / "snapshots"
