"""The monthly service summary (阶段性服务总结): changes by type and result, rates, emergencies, drills, backups."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from itertools import groupby

from changeops.publish.change_pages import change_uri, device_uri
from changeops.publish.device_archive import drifts_between, read_archives
from changeops.publish.labels import labels_for
from changeops.publish.rendering import Page, rel, render
from changeops.publish.snapshot import Record, Snapshot
from changeops.records.model import CHANGE_TYPES, DrillChange

RESULT_COLUMNS = ("completed", "failed", "rolled-back", "interrupted", "unrun")


@dataclass(frozen=True)
class Emergency:
    record: Record
    due: str
    status: str  # on_time | fault_report_late | fault_report_missing


@dataclass(frozen=True)
class DrillOutcome:
    record: Record
    rto: int
    achieved: float | None


@dataclass(frozen=True)
class MonthFigures:
    month: str
    table: dict[str, Counter[str]]
    ran: int
    completed: int
    rolled_back: int
    emergencies: list[Emergency]
    drills: list[DrillOutcome]
    backups: int

    @property
    def total(self) -> int:
        return sum(sum(counts.values()) for counts in self.table.values())

    def rate(self, count: int) -> str:
        return f"{100 * count / self.ran:.1f} %" if self.ran else "—"


def summary_uri(month: str) -> str:
    return f"summaries/{month}.md"


def month_figures(month: str, records: list[Record], fault_hours: int) -> MonthFigures:
    """The figures of one month's changes (by the window's start in the customer's zone)."""
    table: dict[str, Counter[str]] = {kind: Counter() for kind in CHANGE_TYPES}
    ran = completed = rolled_back = backups = 0
    for record in records:
        run = record.latest_run
        result = (run.result or "interrupted") if run else "unrun"
        table.setdefault(record.change.type, Counter())[result] += 1  # type: ignore[attr-defined]
        ran += run is not None
        completed += result == "completed"
        rolled_back += result == "rolled-back"
        backups += sum(len(r.backups) for r in record.runs)
    return MonthFigures(month, table, ran, completed, rolled_back, _emergencies(records, fault_hours),
                        _drills(records), backups)


def _emergencies(records: list[Record], fault_hours: int) -> list[Emergency]:
    found = []
    for record in records:
        incident = record.change.incident
        if record.change.model != "emergency" or incident is None:
            continue
        due = record.local(incident.restored + timedelta(hours=fault_hours)) if incident.restored else ""
        status = ("fault_report_missing" if record.fault_report is None
                  else "fault_report_late" if record.fault_report_late else "on_time")
        found.append(Emergency(record, due, status))
    return found


def _drills(records: list[Record]) -> list[DrillOutcome]:
    outcomes = []
    for record in records:
        if isinstance(record.change, DrillChange):
            run = record.latest_run
            achieved = round(run.recovery_seconds / 60, 1) if run and run.recovery_seconds is not None else None
            outcomes.append(DrillOutcome(record, record.change.drill.objectives.rto_minutes, achieved))
    return outcomes


def summary_pages(snap: Snapshot) -> Iterator[Page]:
    """One summary per month with changes, and the index of summaries."""
    L = labels_for(snap.language)
    hours = snap.policies.rules.freeze.fault_report_hours
    archives = read_archives(snap)
    months = []
    for month, records in groupby(snap.records, key=lambda r: r.month):
        figures = month_figures(month, list(records), hours)
        months.append(figures)
        src = summary_uri(month)
        yield Page(src, render("summary.md.j2", L=L, f=figures, columns=RESULT_COLUMNS,
                               link=lambda cid, src=src: rel(change_uri(cid), src),
                               doc=lambda cid, name, src=src: rel(f"changes/{cid}/{name}.md", src),
                               drifts=drifts_between(archives, month, snap.site_zone()), zone=snap.site_zone(),
                               device=lambda host, src=src: rel(device_uri(host), src)))
    yield Page("summaries/index.md", render("summaries_index.md.j2", L=L, months=months[::-1],
                                            link=lambda m: summary_uri(m).removeprefix("summaries/")), in_nav=True)
