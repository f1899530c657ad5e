"""Observers of a run: progress on the terminal, the event log, the transcripts.

The pipeline tells each observer, in order, when a stage starts, every host event as it
happens, and when the stage is over; none of them sees an ansible-runner dict. Adding an
audit sink or a chat notifier is one more class with these three methods.
"""

from __future__ import annotations

from pathlib import Path
from typing import Protocol

from changeops.execute.endpoints import host_endpoints
from changeops.execute.events import HostEvent
from changeops.execute.executor import StageResult
from changeops.execute.run_record import RunRecord
from changeops.execute.transcript import attach, render_stage, session_exchanges, tasks_by_host


class RunObserver(Protocol):
    def stage_started(self, stage: str, playbook: str, hosts: list[str]) -> None: ...

    def host_event(self, event: HostEvent) -> None: ...

    def stage_finished(self, result: StageResult) -> None: ...


class EventLog:
    """``events.jsonl``: stage markers and every host event, redacted, flushed as they come."""

    def __init__(self, record: RunRecord) -> None:
        self.record = record

    def stage_started(self, stage: str, playbook: str, hosts: list[str]) -> None:
        self.record.marker("stage_start", stage=stage, playbook=playbook)

    def host_event(self, event: HostEvent) -> None:
        self.record.event(event)

    def stage_finished(self, result: StageResult) -> None:
        extra = {"note": result.note} if result.note else {}
        self.record.marker("stage_end", stage=result.name, rc=result.rc,
                           hosts={h: o.value for h, o in result.hosts.items()}, **extra)


class Transcripts:
    """Each host's command transcript, appended once its stage is over (session log + task events)."""

    def __init__(self, record: RunRecord, inventories: list[Path]) -> None:
        self.record, self.inventories = record, inventories

    def stage_started(self, stage: str, playbook: str, hosts: list[str]) -> None:
        return None

    def host_event(self, event: HostEvent) -> None:
        return None

    def stage_finished(self, result: StageResult) -> None:
        write_transcripts(self.record, result.name, result.playbook, result.events, result.session_log,
                          self.inventories)


def write_transcripts(record: RunRecord, stage: str, playbook: str, events: list[HostEvent],
                      session_log: Path | None, inventories: list[Path]) -> None:
    """Append this stage's part of every host's transcript."""
    exchanges = session_exchanges(session_log, host_endpoints(inventories)) if session_log else {}
    tasks = tasks_by_host(events)
    for host in sorted(set(tasks) | set(exchanges)):
        host_tasks = tasks.get(host, [])
        loose = attach(host_tasks, exchanges.get(host, []))
        record.transcript(host, render_stage(stage, playbook, host_tasks, loose))
