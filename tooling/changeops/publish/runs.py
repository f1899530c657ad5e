"""Run records as the site reads them: ``changes/<ID>/runs/<RUN>/`` with whatever of it exists.

A run folder may hold ``summary.yaml`` (read through the run contract,
:mod:`changeops.records.run_summary`), ``events.jsonl``, ``hosts/<host>.log`` and
``backups/``; a run whose summary is missing or unreadable still shows, with the problem.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from changeops.records.run_summary import ClockOverride, RunSummary, SummaryProblem, read_summary
from changeops.yaml12 import load


@dataclass(frozen=True)
class Stage:
    name: str
    started: datetime | None
    finished: datetime | None
    hosts: dict[str, str]


@dataclass(frozen=True)
class Run:
    """One run of a change, as far as its record tells."""

    id: str
    folder: Path
    result: str | None = None
    started: datetime | None = None
    finished: datetime | None = None
    stages: tuple[Stage, ...] = ()
    plan_digest: str | None = None
    versions: dict[str, Any] = field(default_factory=dict)
    """The tools the run used (changeops, ansible-core, collections) and their versions."""
    transcripts: dict[str, Path] = field(default_factory=dict)
    backups: tuple[Path, ...] = ()
    events: Path | None = None
    recovery_seconds: float | None = None
    problem: str | None = None
    clock: ClockOverride | None = None
    """Set when the run judged its window at another time than the real clock (lab runs)."""
    lab: bool = False

    def stage(self, name: str) -> Stage | None:
        """The last stage of that name (a rollback may repeat verification)."""
        return next((s for s in reversed(self.stages) if s.name == name), None)

    @property
    def moment(self) -> datetime:
        """When the run happened, for ordering (runs without times sort by ID)."""
        return self.finished or self.started or datetime.min.replace(tzinfo=UTC)


def read_runs(change_folder: Path) -> list[Run]:
    """The runs of one change, oldest first."""
    folder = change_folder / "runs"
    if not folder.is_dir():
        return []
    runs = [read_run(path) for path in sorted(folder.iterdir()) if path.is_dir()]
    return sorted(runs, key=lambda run: (run.moment, run.id))


def read_run(folder: Path) -> Run:
    summary, problem = _summary_of(folder)
    hosts = folder / "hosts"
    transcripts = {p.stem: p for p in sorted(hosts.glob("*.log"))} if hosts.is_dir() else {}
    backups = tuple(sorted(p for p in (folder / "backups").rglob("*") if p.is_file() and p.name != "SHA256SUMS")) \
        if (folder / "backups").is_dir() else ()
    events = folder / "events.jsonl"
    found = events if events.is_file() else None
    if summary is None:
        return Run(id=folder.name, folder=folder, transcripts=transcripts, backups=backups, events=found,
                   problem=problem, recovery_seconds=_recovery(folder, {}, events))
    return Run(
        id=summary.run, folder=folder, result=summary.result.value, started=summary.started,
        finished=summary.finished,
        stages=tuple(Stage(s.name, s.started, s.finished, {h: o.value for h, o in s.hosts.items()})
                     for s in summary.stages),
        plan_digest=summary.plan_digest, versions=dict(summary.versions), transcripts=transcripts, backups=backups,
        events=found, recovery_seconds=_recovery(folder, summary.model_dump(mode="json"), events),
        problem=problem, clock=summary.clock, lab=summary.lab,
    )


def _summary_of(folder: Path) -> tuple[RunSummary | None, str | None]:
    path = folder / "summary.yaml"
    if not path.is_file():
        return None, None
    try:
        return read_summary(path), None
    except SummaryProblem as problem:
        return None, f"{path.name}: {problem.problem}"


def _summary(path: Path) -> tuple[dict[str, Any], str | None]:
    if not path.is_file():
        return {}, None
    doc = load(path.read_bytes())
    if doc.problem is not None:
        return {}, f"{path.name}: {doc.problem.message}"
    return (doc.data, None) if isinstance(doc.data, dict) else ({}, f"{path.name} is not a mapping")


def _recovery(folder: Path, summary: dict[str, Any], events: Path) -> float | None:
    """A drill's achieved recovery time: ``drill.yaml``'s, else the summary's, else the playbook's stats."""
    drill, _ = _summary(folder / "drill.yaml")
    achieved = drill.get("achieved_seconds")
    if isinstance(achieved, (int, float)) and not isinstance(achieved, bool):
        return float(achieved)
    found = _find_key(drill, "recovery_seconds") or _find_key(summary, "recovery_seconds")
    if found is None and events.is_file() and events.stat().st_size < 32 * 1024 * 1024:
        with events.open(encoding="utf-8", errors="replace") as lines:
            for line in lines:
                if "recovery_seconds" in line:
                    try:
                        found = _find_key(json.loads(line), "recovery_seconds")
                    except ValueError:
                        continue
    return found


def _find_key(value: Any, key: str, depth: int = 0) -> float | None:
    if depth > 8:
        return None
    items: list[Any]
    if isinstance(value, dict):
        if isinstance(value.get(key), (int, float)) and not isinstance(value.get(key), bool):
            return float(value[key])
        items = list(value.values())
    elif isinstance(value, list):
        items = value
    else:
        return None
    for item in items:
        if (found := _find_key(item, key, depth + 1)) is not None:
            return found
    return None
