"""Host events: what an executor reports while a stage runs, in one shape whatever the backend.

ansible-runner's event dicts (and, later, AWX job events or a remote node's stream) are
normalised here before any observer sees them; progress, transcripts and ``events.jsonl``
only ever read :class:`HostEvent`. Playbook-level facts (the ``set_stats`` data) travel as
an event of kind ``stats`` with no host.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any


class EventKind(StrEnum):
    TASK_START = "task-start"
    OK = "ok"
    FAILED = "failed"
    UNREACHABLE = "unreachable"
    SKIPPED = "skipped"
    STATS = "stats"


RUNNER_KINDS = {
    "runner_on_start": EventKind.TASK_START, "runner_on_ok": EventKind.OK, "runner_on_failed": EventKind.FAILED,
    "runner_on_unreachable": EventKind.UNREACHABLE, "runner_on_skipped": EventKind.SKIPPED,
    "playbook_on_stats": EventKind.STATS,
}
FINAL_KINDS = (EventKind.OK, EventKind.FAILED, EventKind.UNREACHABLE, EventKind.SKIPPED)


@dataclass(frozen=True)
class HostEvent:
    """One thing that happened on one host (or, for ``stats``, in the playbook)."""

    kind: EventKind
    created: datetime
    host: str = ""
    task: str = ""
    stage: str = ""
    ignored: bool = False
    result: dict[str, Any] = field(default_factory=dict)
    task_path: str = ""  # file:line of the task in its playbook; a preview reads the task's `when` there

    @property
    def changed(self) -> bool:
        return bool(self.result.get("changed"))

    @property
    def final(self) -> bool:
        return self.kind in FINAL_KINDS

    def as_json(self) -> dict[str, Any]:
        """The line written to ``events.jsonl`` (after redaction)."""
        data: dict[str, Any] = {"event": self.kind.value, "created": _stamp(self.created)}
        for name in ("host", "task", "stage", "task_path"):
            if getattr(self, name):
                data[name] = getattr(self, name)
        if self.ignored:
            data["ignored"] = True
        if self.result:
            data["result"] = self.result
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> HostEvent | None:
        """An event read back from ``events.jsonl``; None for lines that are not host events."""
        try:
            kind = EventKind(data.get("event", ""))
        except ValueError:
            return None
        result = data.get("result")
        return cls(kind, _moment(data.get("created")), str(data.get("host", "")), str(data.get("task", "")),
                   str(data.get("stage", "")), bool(data.get("ignored")), result if isinstance(result, dict) else {},
                   str(data.get("task_path", "")))


def from_runner(event: dict[str, Any], *, stage: str) -> HostEvent | None:
    """The host event of one ansible-runner event; None for events no observer needs."""
    kind = RUNNER_KINDS.get(str(event.get("event", "")))
    if kind is None:
        return None
    data = event.get("event_data") or {}
    if kind is EventKind.STATS:
        stats = data.get("artifact_data") or {}
        return HostEvent(kind, _moment(event.get("created")), stage=stage,
                         result=stats if isinstance(stats, dict) else {})
    if not data.get("host"):
        return None
    res = data.get("res")
    ignored = bool(data.get("ignore_errors")) if kind is EventKind.FAILED else \
        bool(data.get("ignore_unreachable")) if kind is EventKind.UNREACHABLE else False
    return HostEvent(kind, _moment(event.get("created")), str(data["host"]), str(data.get("task", "")), stage,
                     ignored, res if isinstance(res, dict) else {}, _in_project(str(data.get("task_path") or "")))


def _in_project(task_path: str) -> str:
    """``playbooks/x.yml:12`` for a task of the sealed bundle: the runner's own folders never reach a record."""
    marker = "/project/"
    return task_path.rsplit(marker, 1)[1] if marker in task_path else task_path


class RunnerEvents:
    """An ansible-runner ``event_handler`` that normalises each event, keeps it and hands it to ``observe``."""

    def __init__(self, stage: str, observe: Callable[[HostEvent], None]) -> None:
        self.stage, self.observe = stage, observe
        self.events: list[HostEvent] = []

    def __call__(self, raw: dict[str, Any]) -> bool:
        event = from_runner(raw, stage=self.stage)
        if event is not None:
            self.events.append(event)
            self.observe(event)
        return False  # the runner need not write job_events/ to disk: they are kept here


def _moment(value: Any) -> datetime:
    if isinstance(value, str):
        try:
            parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
            return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
        except ValueError:
            pass
    return datetime.now(UTC)


def _stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="microseconds").replace("+00:00", "Z")
