"""The executor seam: how the pipeline asks for one stage to run, whatever runs it.

The pipeline decides *what* runs (stages, order, rollback); an executor decides *where and
how*: ansible-runner on this machine today (:mod:`changeops.execute.backends.local`), an
execution node through ansible-runner's transmit/worker/process stream or an AWX/AAP job
template later (see ``docs/extending.md``). An executor streams :class:`HostEvent` values to
the observer as they happen and returns a :class:`StageResult`; it never raises for a host
that failed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from changeops.execute.events import EventKind, HostEvent
from changeops.records.run_summary import HostOutcome

Observe = Callable[[HostEvent], None]


@dataclass(frozen=True)
class StageRequest:
    """Everything one stage needs; paths are absolute and inside the run's sealed bundle or work folder."""

    name: str
    playbook: Path
    project: Path
    inventories: tuple[Path, ...]
    record_vars: Path
    """A vars file holding the record's step variables, every string marked ``!unsafe``."""
    targets: tuple[str, ...]
    folder: Path
    """The stage's private folder: artifacts and the session log go there."""
    control_vars: dict[str, str] = field(default_factory=dict)
    """changeops' own variables (run id, backup folder): plain extravars, never from the record."""
    env: dict[str, str] = field(default_factory=dict)
    check: bool = False
    forks: int = 10
    timeout: int | None = None


@dataclass
class StageResult:
    """What one stage did: rc, each host's outcome, its events and where its session log is."""

    name: str
    playbook: str
    rc: int
    hosts: dict[str, HostOutcome]
    events: list[HostEvent] = field(default_factory=list, repr=False)
    session_log: Path | None = None
    stats: dict[str, Any] = field(default_factory=dict)
    status: str = ""
    note: str = ""
    """What went wrong outside the playbook (a node lost, a job cancelled), for the run's notes; empty if nothing."""

    @property
    def ok(self) -> bool:
        return self.rc == 0 and all(outcome.succeeded for outcome in self.hosts.values())


class Executor(Protocol):
    """Runs one stage and streams its host events."""

    name: str

    def run_stage(self, request: StageRequest, observe: Observe) -> StageResult: ...


def host_outcomes(events: list[HostEvent], targets: tuple[str, ...] | list[str]) -> dict[str, HostOutcome]:
    """Per host: unreachable, failed (not ignored), ok, or skipped when nothing ran on it."""
    seen: dict[str, set[HostOutcome]] = {}
    for event in events:
        if not event.host or not event.final or event.kind is EventKind.SKIPPED:
            continue
        marks = seen.setdefault(event.host, set())
        if event.kind is EventKind.UNREACHABLE and not event.ignored:
            marks.add(HostOutcome.UNREACHABLE)
        elif event.kind is EventKind.FAILED and not event.ignored:
            marks.add(HostOutcome.FAILED)
        else:
            marks.add(HostOutcome.OK)
    outcomes = {}
    for host in sorted(set(targets) | set(seen)):
        marks = seen.get(host, set())
        order = (HostOutcome.UNREACHABLE, HostOutcome.FAILED, HostOutcome.OK)
        outcomes[host] = next((o for o in order if o in marks), HostOutcome.SKIPPED)
    return outcomes


def touched_hosts(result: StageResult) -> list[str]:
    """Hosts on which at least one task ran (ok or failed): what a rollback must undo."""
    return sorted({e.host for e in result.events if e.host and e.kind in (EventKind.OK, EventKind.FAILED)})


def playbook_stats(events: list[HostEvent]) -> dict[str, Any]:
    """What the playbook published with ``set_stats`` (the last stats event)."""
    return next((e.result for e in reversed(events) if e.kind is EventKind.STATS), {})
