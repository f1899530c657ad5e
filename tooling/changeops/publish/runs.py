"""Run records as the site reads them: ``changes/<ID>/runs/<RUN>/`` with whatever of it exists.

A run folder may hold ``summary.yaml``, ``events.jsonl``, ``hosts/<host>.log`` and
``backups/``; every key of the summary is optional, so a run cut short still shows.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from changeops.yaml12 import load

RESULTS = ("completed", "failed", "rolled-back", "interrupted")


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
    summary, problem = _summary(folder / "summary.yaml")
    hosts = folder / "hosts"
    transcripts = {p.stem: p for p in sorted(hosts.glob("*.log"))} if hosts.is_dir() else {}
    backups = tuple(sorted(p for p in (folder / "backups").rglob("*") if p.is_file() and p.name != "SHA256SUMS")) \
        if (folder / "backups").is_dir() else ()
    events = folder / "events.jsonl"
    result = summary.get("result")
    return Run(
        id=str(summary.get("run") or folder.name), folder=folder,
        result=str(result) if result in RESULTS else None,
        started=_moment(summary.get("started")), finished=_moment(summary.get("finished")),
        stages=tuple(_stages(summary.get("stages"))),
        plan_digest=_text(summary.get("plan_digest")),
        versions=summary.get("versions") if isinstance(summary.get("versions"), dict) else {},
        transcripts=transcripts, backups=backups, events=events if events.is_file() else None,
        recovery_seconds=_recovery(folder, summary, events), problem=problem,
    )


def _summary(path: Path) -> tuple[dict[str, Any], str | None]:
    if not path.is_file():
        return {}, None
    doc = load(path.read_bytes())
    if doc.problem is not None:
        return {}, f"{path.name}: {doc.problem.message}"
    return (doc.data, None) if isinstance(doc.data, dict) else ({}, f"{path.name} is not a mapping")


def _stages(value: Any) -> list[Stage]:
    if not isinstance(value, list):
        return []
    stages = []
    for item in value:
        if isinstance(item, dict):
            hosts = item.get("hosts") if isinstance(item.get("hosts"), dict) else {}
            stages.append(Stage(str(item.get("name", "?")), _moment(item.get("started")),
                                _moment(item.get("finished")), {str(h): str(r) for h, r in hosts.items()}))
    return stages


def _recovery(folder: Path, summary: dict[str, Any], events: Path) -> float | None:
    """A drill's achieved recovery time: ``drill.yaml``'s, else the summary's, else the playbook's stats in the events."""
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
    if isinstance(value, dict):
        if isinstance(value.get(key), (int, float)) and not isinstance(value.get(key), bool):
            return float(value[key])
        items = value.values()
    elif isinstance(value, list):
        items = value
    else:
        return None
    for item in items:
        if (found := _find_key(item, key, depth + 1)) is not None:
            return found
    return None


def _moment(value: Any) -> datetime | None:
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    if isinstance(value, str):
        try:
            parsed = datetime.fromisoformat(value)
        except ValueError:
            return None
        return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
    return None


def _text(value: Any) -> str | None:
    return None if value is None else str(value)
