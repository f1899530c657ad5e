"""Configuration drift: a device whose archived configuration changed with no change record to explain it.

Consecutive captures of a device (oldest first) are compared. A difference is explained when
the newer capture is the ``after`` of a run (the run's own change did it; an inspection reads
only, so it explains nothing), or when a change record that targets the device ran, or had
its window, between the two captures. Anything else is drift: someone changed the device by
hand, or a change ran without its record. The first capture of a device has nothing to
differ from.
"""

from __future__ import annotations

import difflib
from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import datetime

from changeops.estate.archive import Capture, DeviceArchive, archived_hosts, config_text, read_archive
from changeops.estate.inventory import Inventory
from changeops.estate.layout import Estate
from changeops.findings import Finding, Severity
from changeops.records.model import read_change
from changeops.records.run_summary import read_summaries

READ_ONLY_TYPES = ("inspection",)
"""Record types that never change a device: their runs explain no difference."""
SHOWN_LINES = 3


@dataclass(frozen=True)
class Span:
    """When something happened: a run's start to finish, or a window."""

    start: datetime
    end: datetime

    def overlaps(self, earlier: datetime, later: datetime) -> bool:
        return self.start <= later and self.end >= earlier


@dataclass(frozen=True)
class Explanation:
    """A change record that targets a device: its window and its runs (run ID -> when it ran)."""

    change: str
    window: Span
    runs: dict[str, Span]

    def explains(self, earlier: datetime, later: datetime, captured: set[str]) -> bool:
        """Whether it could have changed the device between two captures.

        A run with captures of the device is represented by them (its after capture explains
        its own difference), never by its time; the window counts only for a change with no
        run and no capture of the device (its work left no other trace).
        """
        runs = {run: span for run, span in self.runs.items() if run not in captured}
        if any(span.overlaps(earlier, later) for span in runs.values()):
            return True
        return not self.runs and self.change not in captured and self.window.overlaps(earlier, later)


@dataclass(frozen=True)
class Drift:
    """Two consecutive captures of ``host`` that differ with no change record between them."""

    host: str
    previous: Capture
    current: Capture
    diff: tuple[str, ...]

    @property
    def added(self) -> list[str]:
        return [line[1:] for line in self.diff if line.startswith("+") and not line.startswith("+++")]

    @property
    def removed(self) -> list[str]:
        return [line[1:] for line in self.diff if line.startswith("-") and not line.startswith("---")]

    def summary(self) -> str:
        """``+1 −0 lines: + logging host 10.0.0.1``: the count and the first changed lines."""
        lines = [f"+ {t.strip()}" for t in self.added] + [f"- {t.strip()}" for t in self.removed]
        more = f" (and {len(lines) - SHOWN_LINES} more)" if len(lines) > SHOWN_LINES else ""
        return f"+{len(self.added)} −{len(self.removed)} lines: {'; '.join(lines[:SHOWN_LINES])}{more}"

    def finding(self) -> Finding:
        return Finding(self.current.file, 1, 1, "config-drift", Severity.WARNING,
                       f"{self.host}: the configuration changed between {self.previous.label} and "
                       f"{self.current.label} with no change record targeting it: {self.summary()}",
                       "write a change record for what was done (an emergency record after the fact), or put "
                       "the configuration back; the device page shows the whole difference")


def unified_diff(before: str, after: str, *, old: str, new: str) -> tuple[str, ...]:
    """The unified diff of two configurations, line by line (no trailing newlines)."""
    return tuple(line.rstrip("\n") for line in difflib.unified_diff(
        before.splitlines(), after.splitlines(), fromfile=old, tofile=new, lineterm=""))


@dataclass
class ChangeHistory:
    """What the change records say about devices: who could have changed each host, when."""

    by_host: dict[str, list[Explanation]] = field(default_factory=dict)
    read_only: set[str] = field(default_factory=set)
    """IDs of records whose type never changes a device."""


def change_history(estate: Estate, inventory: Inventory) -> ChangeHistory:
    """Per host, the change records (read-only ones aside) that target it: their windows and runs."""
    history = ChangeHistory()
    for path in estate.record_files():
        change = read_change(path.read_bytes())
        if change is None:
            continue
        if getattr(change, "type", "") in READ_ONLY_TYPES:
            history.read_only.add(change.id)
            continue
        runs = {s.run: Span(s.started, s.finished) for s in read_summaries(path.parent)}
        explanation = Explanation(change.id, Span(change.window.start, change.window.end), runs)
        for host in inventory.expand(change.targets):
            history.by_host.setdefault(host, []).append(explanation)
    return history


def device_drift(estate: Estate, archive: DeviceArchive, history: ChangeHistory) -> list[Drift]:
    """The unexplained differences between consecutive captures of one device, oldest first."""
    drifts = []
    captured = {c.data.run for c in archive.captures if c.data.run} | {c.data.change for c in archive.captures
                                                                        if c.data.change}
    for previous, current in zip(archive.captures, archive.captures[1:], strict=False):
        if previous.digest == current.digest or _by_its_run(current, history.read_only):
            continue
        if any(e.explains(previous.time, current.time, captured) for e in history.by_host.get(archive.host, ())):
            continue
        diff = unified_diff(config_text(estate, previous), config_text(estate, current),
                            old=previous.config_file, new=current.config_file)
        drifts.append(Drift(archive.host, previous, current, diff))
    return drifts


def _by_its_run(current: Capture, read_only: Collection[str]) -> bool:
    """The capture after a run of a change: that change made the difference (unless it only reads)."""
    return current.data.stage == "after" and current.data.change is not None and current.data.change not in read_only


@dataclass
class ArchiveReport:
    """Every device's archive, its drift, and the problems of its files."""

    archives: dict[str, DeviceArchive]
    drifts: dict[str, list[Drift]]
    findings: list[Finding]


def archive_report(estate: Estate, inventory: Inventory) -> ArchiveReport:
    """Read every device archive and find its drift."""
    archives = {host: read_archive(estate, host) for host in archived_hosts(estate)}
    changed = any(a.digest != b.digest for archive in archives.values()
                  for a, b in zip(archive.captures, archive.captures[1:], strict=False))
    # Reading every record is the cost here: only when some device's configuration changed at all.
    history = change_history(estate, inventory) if changed else ChangeHistory()
    findings: list[Finding] = []
    drifts = {}
    for host, archive in archives.items():
        findings += archive.findings
        if inventory.hosts and host not in inventory.hosts:  # an unreadable inventory is reported on its own
            findings.append(Finding(f"archive/{host}", 1, 1, "archive-unknown-host", Severity.WARNING,
                                    f"archive/{host}/ is the archive of a host the inventory does not list",
                                    "add the host to inventory/, or remove its archive if it left the estate"))
        drifts[host] = device_drift(estate, archive, history)
        findings += [d.finding() for d in drifts[host]]
    return ArchiveReport(archives, drifts, findings)
