"""The run contract: ``changes/<ID>/runs/<RUN>/summary.yaml`` as a typed, versioned model.

One writer (:func:`write_summary`, used by execution) and one reader (:func:`read_summary`,
used by ``runs``, the derived state, recovery and the site). Result and host outcome
names live here and nowhere else. A summary written before the schema was versioned
(no ``schema_version``) is read as version 0 and upgraded on read.
"""

from __future__ import annotations

from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError

from changeops.errors import SummaryProblem
from changeops.yaml12 import load

SCHEMA_VERSION = 1


class RunResult(StrEnum):
    """How a run ended."""

    COMPLETED = "completed"
    FAILED = "failed"
    ROLLED_BACK = "rolled-back"
    INTERRUPTED = "interrupted"
    CHECKED = "checked"

    @property
    def succeeded(self) -> bool:
        return self in (RunResult.COMPLETED, RunResult.CHECKED)


class HostOutcome(StrEnum):
    """What one stage did on one host."""

    OK = "ok"
    FAILED = "failed"
    UNREACHABLE = "unreachable"
    SKIPPED = "skipped"
    TIMED_OUT = "timed-out"

    @property
    def succeeded(self) -> bool:
        return self in (HostOutcome.OK, HostOutcome.SKIPPED)


class FrozenModel(BaseModel):
    """A record the run writes once: unknown keys refused, values immutable."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=False)


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo else value.replace(tzinfo=UTC)


Moment = Annotated[datetime, AfterValidator(_aware)]


class StageSummary(FrozenModel):
    """One stage of a run: when, and each host's outcome."""

    name: str
    started: Moment
    finished: Moment | None = None
    hosts: dict[str, HostOutcome] = Field(default_factory=dict)

    @property
    def succeeded(self) -> bool:
        return all(outcome.succeeded for outcome in self.hosts.values())


class ClockOverride(FrozenModel):
    """The run judged its window and freezes at a time other than the real clock (lab runs only)."""

    judged_at: Moment
    real_time: Moment
    reason: str


class RunSummary(FrozenModel):
    """Everything a reader needs to know about one run, without reading its events."""

    schema_version: Literal[1] = 1
    run: str
    change: str
    started: Moment
    finished: Moment
    result: RunResult
    stages: tuple[StageSummary, ...] = ()
    plan_digest: str | None = None
    trusted_commit: str | None = None
    executor: str = "ansible-runner"
    versions: dict[str, str] = Field(default_factory=dict)
    operator: str = "unknown"
    clock: ClockOverride | None = None
    lab: bool = False
    notes: tuple[str, ...] = ()

    def stage(self, name: str) -> StageSummary | None:
        """The last stage of that name (a rollback repeats verification)."""
        return next((s for s in reversed(self.stages) if s.name == name), None)


def summary_text(summary: RunSummary) -> str:
    """The YAML text of a summary, stable key order, times in UTC ISO 8601."""
    data = summary.model_dump(mode="json", exclude_none=True)
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=120)


def write_summary(folder: Path, summary: RunSummary) -> Path:
    """Write ``summary.yaml`` into ``folder`` (atomically: a reader never sees half of it)."""
    path = folder / "summary.yaml"
    temporary = path.with_suffix(".tmp")
    temporary.write_text(summary_text(summary), encoding="utf-8")
    temporary.replace(path)
    return path


def read_summary(path: Path) -> RunSummary:
    """The summary at ``path``; :class:`SummaryProblem` when it is missing, unreadable or not a summary."""
    try:
        doc = load(path.read_bytes())
    except OSError as error:
        raise SummaryProblem(path, error.strerror or str(error)) from None
    if doc.problem is not None:
        raise SummaryProblem(path, doc.problem.message)
    if not isinstance(doc.data, dict):
        raise SummaryProblem(path, "not a mapping")
    try:
        return RunSummary.model_validate(_upgrade(doc.data))
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "summary"
        raise SummaryProblem(path, f"{where}: {first['msg']}") from None


def read_summaries(change_folder: Path) -> list[RunSummary]:
    """The valid summaries of one change's runs, oldest first (unreadable ones are skipped)."""
    folder = change_folder / "runs"
    found = []
    for path in sorted(folder.glob("*/summary.yaml")) if folder.is_dir() else []:
        try:
            found.append(read_summary(path))
        except SummaryProblem:
            continue
    return sorted(found, key=lambda s: (s.started, s.run))


def _upgrade(data: dict[str, Any]) -> dict[str, Any]:
    """Version 0 (unversioned) summaries: same fields, ``plan_digest``/``versions`` possibly null."""
    if "schema_version" in data:
        return data
    upgraded = {**data, "schema_version": SCHEMA_VERSION}
    if upgraded.get("versions") is None:
        upgraded.pop("versions", None)
    return upgraded
