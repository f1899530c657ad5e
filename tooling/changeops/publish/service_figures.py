"""The figures of a service summary (阶段性服务总结, 2.3.4) over one month or quarter, from the records.

Changes count by their window's start, faults by when they were declared, parts and training by their
dates, all in the customer's zone. Open issues are the follow-ups of fault and drill reports not done by the
period's end. Inspections count by the month they cover, drift by the capture that showed it.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from changeops.policy.calendars import working_day_after
from changeops.policy.sla import Measure, fault_measures
from changeops.publish.device_archive import drifts_between, read_archives
from changeops.publish.snapshot import Record, Snapshot
from changeops.records.inspection_result import latest_result
from changeops.records.model import CHANGE_TYPES, DrillChange, InspectionChange
from changeops.records.period_report import PeriodReport
from changeops.records.report_items import FollowUp, Part, Training


@dataclass(frozen=True)
class Period:
    """A month (``2026-11``) or a quarter (``2026-Q4``), first and last day inclusive."""

    key: str
    first: date
    last: date

    @property
    def quarterly(self) -> bool:
        return "Q" in self.key

    def holds(self, day: date) -> bool:
        return self.first <= day <= self.last

    def months(self) -> list[str]:
        return [f"{self.first.year}-{m:02d}" for m in range(self.first.month, self.last.month + 1)]


def month_period(month: str) -> Period:
    year, number = int(month[:4]), int(month[5:7])
    following = date(year + number // 12, number % 12 + 1, 1)
    return Period(month, date(year, number, 1), following - timedelta(days=1))


def quarter_key(month: str) -> str:
    return f"{month[:4]}-Q{(int(month[5:7]) - 1) // 3 + 1}"


def quarter_period(key: str) -> Period:
    year, quarter = int(key[:4]), int(key[-1])
    first, last = month_period(f"{year}-{3 * quarter - 2:02d}"), month_period(f"{year}-{3 * quarter:02d}")
    return Period(key, first.first, last.last)


def previous_quarter(key: str) -> str:
    year, quarter = int(key[:4]), int(key[-1])
    return f"{year - 1}-Q4" if quarter == 1 else f"{year}-Q{quarter - 1}"


@dataclass(frozen=True)
class FaultRow:
    record: Record
    level: str
    measures: tuple[Measure, ...]
    report_due: str
    report_status: str  # on_time | fault_report_late | fault_report_missing


@dataclass(frozen=True)
class DrillRow:
    record: Record
    rto: int
    achieved: float | None
    rpo: int
    achieved_rpo: float | None
    reported: bool


@dataclass(frozen=True)
class Dated:
    """A training session, a part or a follow-up, with the record (or period) it was written in."""

    source: str
    record: Record | None
    item: Training | Part | FollowUp


@dataclass(frozen=True)
class Delivery:
    due: date
    delivered: date | None
    status: str  # delivered_on_time | delivered_late | not_delivered | summary_overdue


@dataclass(frozen=True)
class PeriodFigures:
    period: Period
    table: dict[str, Counter[str]]
    ran: int
    completed: int
    rolled_back: int
    backups: int
    faults: list[FaultRow]
    drills: list[DrillRow]
    training: list[Dated]
    parts: list[Dated]
    issues: list[Dated]
    inspections: list[Any]
    drift: list[Any]
    delivery: Delivery
    report: PeriodReport | None
    report_problem: str

    @property
    def total(self) -> int:
        return sum(sum(counts.values()) for counts in self.table.values())

    def rate(self, count: int) -> str:
        return f"{100 * count / self.ran:.1f} %" if self.ran else "—"

    def levels(self) -> Counter[str]:
        return Counter(row.level for row in self.faults)

    def missed(self) -> int:
        """Service-level promises missed by this period's faults."""
        return sum(m.verdict == "missed" for row in self.faults for m in row.measures)


@dataclass(frozen=True)
class InspectionRow:
    """One routine inspection of the period: its record, its devices per status and its anomalies per severity
    (empty counts while it has not run)."""

    record: Record
    devices: Counter[str]
    anomalies: Counter[str]
    ran: bool


def inspection_rows(snap: Snapshot, period: Period) -> list[Any]:
    """Routine inspections (巡检, 2.3.3) whose month lies in ``period``: one row per inspection report."""
    months = set(period.months())
    rows = []
    for record in snap.records:
        if not isinstance(record.change, InspectionChange) or record.change.inspection.period not in months:
            continue
        result = latest_result(record.folder)
        hosts = [*(d.host for d in result.devices), *result.not_inspected] if result else []
        rows.append(InspectionRow(record, Counter(result.status(h) for h in hosts) if result else Counter(),
                                  Counter(a.severity for a in result.anomalies) if result else Counter(),
                                  result is not None))
    return sorted(rows, key=lambda row: (row.record.change.inspection.period, row.record.id))


def drift_rows(snap: Snapshot, period: Period) -> list[Any]:
    """Configuration drift found in ``period``: archived configurations that changed with no change record to
    explain them (:mod:`changeops.estate.drift`), by the time of the capture that showed it."""
    report = read_archives(snap)
    zone = snap.site_zone()
    return [drift for month in period.months() for drift in drifts_between(report, month, zone)]


def summary_due(snap: Snapshot, period: Period) -> date:
    """The period's summary is due N working days after it ends (2.3.4.2), by the customer's holiday calendar."""
    customer = next(iter(snap.policies.customers.values()), None)
    return working_day_after(period.last, snap.policies.sla.summary_due_working_days,
                             customer.holidays if customer else None)


def delivery(due: date, delivered: date | None, today: date) -> Delivery:
    """Whether the summary reached the customer on time, late, not yet, or is overdue."""
    if delivered is not None:
        return Delivery(due, delivered, "delivered_on_time" if delivered <= due else "delivered_late")
    return Delivery(due, None, "summary_overdue" if today > due else "not_delivered")


@dataclass(frozen=True)
class Index:
    """What the summaries count, read once from the snapshot, each with its day in the customer's zone."""

    changes: list[tuple[date, Record]]
    faults: list[tuple[date, Record]]
    parts: list[tuple[date, Dated]]
    follow_ups: list[tuple[date, Dated]]
    """Follow-ups by the day their report was written."""
    training: list[Dated]


def summary_index(snap: Snapshot) -> Index:
    """One pass over the records for every period's figures (thousands of records, dozens of periods)."""
    index = Index([], [], [], [], [])
    for record in snap.records:
        index.changes.append((_local_day(record, record.change.window.start), record))
        if record.change.incident is not None:
            index.faults.append((_local_day(record, record.change.incident.declared), record))
        reports = [r for r in (record.fault_report, record.drill_report) if r is not None]
        for report in reports:
            written = _local_day(record, report.written)
            index.follow_ups.extend([(written, Dated(record.id, record, f)) for f in report.follow_ups])
        if record.fault_report is not None:
            index.parts.extend((_local_day(record, part.replaced), Dated(record.id, record, part))
                               for part in record.fault_report.parts)
        if record.drill_report is not None:
            index.training.extend(Dated(record.id, record, t) for t in record.drill_report.training)
    return index


def period_figures(snap: Snapshot, index: Index, period: Period,
                   report: tuple[PeriodReport | None, str]) -> PeriodFigures:
    """Every figure of ``period``; ``report`` is what the engineers wrote about it (or None and why not)."""
    changes = [record for day, record in index.changes if period.holds(day)]
    table: dict[str, Counter[str]] = {kind: Counter() for kind in CHANGE_TYPES}
    for record in changes:
        run = record.latest_run
        table.setdefault(record.change.type, Counter())[(run.result or "interrupted") if run else "unrun"] += 1  # type: ignore[attr-defined]
    ran = [r.latest_run for r in changes if r.latest_run is not None]
    written, problem = report
    training = [*index.training, *(Dated(period.key, None, t) for t in (written.training if written else []))]
    return PeriodFigures(
        period, table, len(ran), sum(run.result == "completed" for run in ran),
        sum(run.result == "rolled-back" for run in ran), sum(len(run.backups) for r in changes for run in r.runs),
        _faults(snap, [r for day, r in index.faults if period.holds(day)]), _drills(changes),
        [t for t in training if period.holds(t.item.date)],  # type: ignore[union-attr]
        [part for day, part in index.parts if period.holds(day)], _open_issues(index, period),
        inspection_rows(snap, period), drift_rows(snap, period),
        delivery(summary_due(snap, period), written.delivered if written else None, snap.today), written, problem)


def _local_day(record: Record, moment: datetime) -> date:
    return moment.astimezone(record.zone).date()


def _faults(snap: Snapshot, records: list[Record]) -> list[FaultRow]:
    hours = snap.policies.rules.freeze.fault_report_hours
    rows = []
    for record in records:
        incident, report = record.change.incident, record.fault_report
        if incident is None:
            continue
        measures = incident_measures(record, snap)
        due = record.local(incident.restored + timedelta(hours=hours)) if incident.restored else ""
        status = ("fault_report_missing" if report is None
                  else "fault_report_late" if record.fault_report_late else "on_time")
        rows.append(FaultRow(record, incident.severity, measures, due, status))
    return rows


def incident_measures(record: Record, snap: Snapshot) -> tuple[Measure, ...]:
    """A fault's response, on-site arrival and restoration against the service levels (none without an incident);
    on-site arrival for the farthest site of the change's devices."""
    incident, report = record.change.incident, record.fault_report
    if incident is None:
        return ()
    facts = snap.inventory.facts
    sites = tuple(facts[host].site for host in record.hosts if host in facts)
    return fault_measures(incident.severity, incident.declared, responded=report.remote_support if report else None,
                          on_site=report.on_site if report else None, restored=incident.restored,
                          sla=snap.policies.sla, sites=sites,
                          on_site_requested=report.on_site_requested if report else None)


def _drills(records: list[Record]) -> list[DrillRow]:
    rows = []
    for record in records:
        if not isinstance(record.change, DrillChange):
            continue
        run, report = record.latest_run, record.drill_report
        achieved = round(run.recovery_seconds / 60, 1) if run and run.recovery_seconds is not None \
            else report.achieved_rto_minutes if report else None
        objectives = record.change.drill.objectives
        rows.append(DrillRow(record, objectives.rto_minutes, achieved, objectives.rpo_minutes,
                             report.achieved_rpo_minutes if report else None, report is not None))
    return rows


def _open_issues(index: Index, period: Period) -> list[Dated]:
    """Follow-ups written by the period's end and not done by then."""
    found = [item for written, item in index.follow_ups if written <= period.last
             and (item.item.done is None or item.item.done > period.last)]  # type: ignore[union-attr]
    return sorted(found, key=lambda d: d.item.due)  # type: ignore[union-attr]
