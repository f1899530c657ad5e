"""The lab-side log of every CLI session: each line a device received and sent, timestamped.

One file per device, ``<state>/sessions/<host>.log``, one line per entry::

    2026-11-26T10:00:00.123456Z s3 < show version
    2026-11-26T10:00:00.124001Z s3 > Cisco IOS XE Software, Version 17.09.04a
    2026-11-26T10:00:00.200000Z s3 * closed

``<`` received, ``>`` sent, ``*`` an event (login, hang-up, reload). Secrets
typed at a ``Password:`` question are logged as ``********``. Tests compare
this with what Ansible reported it sent.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TextIO

RECEIVED, SENT, EVENT = "<", ">", "*"
MASK = "********"


@dataclass(frozen=True)
class LogEntry:
    time: str
    session: str
    direction: str
    text: str


class SessionLog:
    """Appends entries for one device; the file stays open while the lab runs."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self._file: TextIO | None = None
        self._sessions = 0

    def new_session_id(self) -> str:
        self._sessions += 1
        return f"s{self._sessions}"

    def write(self, session: str, direction: str, text: str) -> None:
        if self._file is None:
            self._file = self.path.open("a", encoding="utf-8", buffering=1)
        stamp = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
        for line in text.split("\n") or [""]:
            self._file.write(f"{stamp} {session} {direction} {line.rstrip(chr(13))}\n")

    def close(self) -> None:
        if self._file is not None:
            self._file.close()
            self._file = None


def read_log(path: Path) -> list[LogEntry]:
    """The entries of a device's session log (empty when the device never had a session)."""
    if not path.exists():
        return []
    entries = []
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split(" ", 3)
        if len(parts) >= 3:
            entries.append(LogEntry(parts[0], parts[1], parts[2], parts[3] if len(parts) > 3 else ""))
    return entries


def received_lines(path: Path) -> list[str]:
    """Every line the device received, in order (what the client sent)."""
    return [e.text for e in read_log(path) if e.direction == RECEIVED]
