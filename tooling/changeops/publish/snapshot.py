"""The estate read once per build: valid records with their runs, invalid ones, inventory, policies, runbooks."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from pydantic import ValidationError

from changeops.estate.inventory import Inventory, load_inventory
from changeops.estate.layout import Estate
from changeops.estate.runbooks import Runbook, read_runbook
from changeops.findings import Finding
from changeops.policy.emergency import FAULT_REPORT
from changeops.policy.engine import read_policies
from changeops.policy.files import DirectorySource, Policies
from changeops.policy.people import display_name
from changeops.publish.approval_view import NOT_EVALUATED, ApprovalView, approval_view
from changeops.publish.runs import Run, read_runs
from changeops.records.drill_report import DRILL_REPORT, DrillReport, read_drill_report
from changeops.records.fault_report import FaultReport
from changeops.records.fields import text_in
from changeops.records.model import ChangeBase, DrillChange, parse_change
from changeops.yaml12 import load

APPROVALS = "approvals"
APPROVALS_AHEAD = timedelta(days=30)


@dataclass(frozen=True)
class Record:
    """One valid change with what the site shows about it."""

    change: ChangeBase
    folder: Path
    language: str
    zone: ZoneInfo
    customer_name: str
    hosts: tuple[str, ...]
    runs: tuple[Run, ...]
    approval: ApprovalView
    fault_report: FaultReport | None
    fault_report_problem: str
    fault_report_late: bool
    people: dict[str, str] = field(default_factory=dict)
    """Display names of the people the record names, by id (from ``display_name``)."""
    drill_report: DrillReport | None = None
    drill_report_problem: str = ""

    def person(self, person_id: str) -> str:
        """How a person the record names is shown: their display name, else the id as written."""
        return self.people.get(person_id, person_id)

    @property
    def engineer_names(self) -> tuple[str, ...]:
        return tuple(self.person(who) for who in self.change.engineers)

    @property
    def id(self) -> str:
        return self.change.id

    @property
    def title(self) -> str:
        return text_in(self.change.title, self.language)

    @property
    def latest_run(self) -> Run | None:
        return self.runs[-1] if self.runs else None

    @property
    def month(self) -> str:
        return self.change.window.start.astimezone(self.zone).strftime("%Y-%m")

    def state(self, now: datetime) -> str:
        """Derived, never typed: the newest run's result, else approved / scheduled / not run."""
        run = self.latest_run
        if run is not None:
            return run.result or "interrupted"
        if self.approval.available and self.approval.met:
            return "approved"
        return "scheduled" if self.change.window.end > now else "unrun"

    def local(self, moment: datetime, fmt: str = "%Y-%m-%d %H:%M") -> str:
        return moment.astimezone(self.zone).strftime(fmt)


@dataclass(frozen=True)
class Invalid:
    file: str
    message: str


@dataclass
class Snapshot:
    estate: Estate
    policies: Policies
    inventory: Inventory
    today: date
    language: str
    records: list[Record] = field(default_factory=list)
    invalid: list[Invalid] = field(default_factory=list)
    runbooks: list[tuple[Runbook, list[Finding]]] = field(default_factory=list)
    built: datetime | None = None
    """When the site was built, if its day is the real one (not pinned in mkdocs.yml): who is on duty is told
    as of this moment, since a handover can fall between midnight and the build."""
    memo: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)
    """What several page generators read once per build (the device archives)."""

    @property
    def now(self) -> datetime:
        return datetime.combine(self.today, datetime.min.time(), tzinfo=UTC)

    @property
    def duty_time(self) -> datetime:
        """The moment the site's who-to-call blocks are judged at: the build's, else the start of ``today``."""
        return self.built or self.now

    def by_host(self) -> dict[str, list[Record]]:
        touching: dict[str, list[Record]] = {}
        for record in self.records:
            for host in record.hosts:
                touching.setdefault(host, []).append(record)
        return touching

    def site_zone(self) -> ZoneInfo:
        customers = self.policies.customers
        return ZoneInfo(next(iter(customers.values())).zone) if customers else ZoneInfo("UTC")


def take_snapshot(root: Path, today: date, customer: str | None = None, built: datetime | None = None) -> Snapshot:
    """Read the estate under ``root``; nothing in it stops the build, problems are kept as values."""
    estate = Estate(root)
    policies = read_policies(DirectorySource(estate.policies))
    snap = Snapshot(estate, policies, load_inventory(estate), today, site_language(policies, customer), built=built)
    fault_hours = policies.rules.freeze.fault_report_hours
    for path in estate.record_files():
        record = _record(estate, snap, path, fault_hours)
        if isinstance(record, Invalid):
            snap.invalid.append(record)
        else:
            snap.records.append(record)
    snap.records.sort(key=lambda r: (r.change.window.start, r.id))
    snap.runbooks = [read_runbook(estate, path) for path in estate.runbook_files()]
    return snap


def site_language(policies: Policies, customer: str | None) -> str:
    """The site's language: the named customer's, else the first customer's, else English."""
    customers = policies.customers
    chosen = customers.get(customer) if customer else next(iter(customers.values()), None)
    return chosen.language if chosen else "en"


def _record(estate: Estate, snap: Snapshot, path: Path, fault_hours: int) -> Record | Invalid:
    file = estate.relative(path)
    doc = load(path.read_bytes())
    if doc.problem is not None:
        return Invalid(file, f"line {doc.problem.line}: {doc.problem.message}")
    try:
        change = parse_change(doc.data)
    except ValidationError as err:
        first = err.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "record"
        return Invalid(file, f"{where}: {first['msg']} ({err.error_count()} problem(s))")
    info = snap.policies.customers.get(change.customer)
    language = info.language if info else snap.language
    zone = ZoneInfo(info.zone) if info else ZoneInfo("UTC")
    name = text_in(info.name, language) if info else change.customer
    report, problem, late = _fault_report(path.parent, change, fault_hours)
    approval = _approvals(estate, snap, change, path.parent)
    drill, drill_problem = read_drill_report(path.parent / DRILL_REPORT) if isinstance(change, DrillChange) \
        else (None, "")
    return Record(change, path.parent, language, zone, name, tuple(sorted(snap.inventory.expand(change.targets))),
                  tuple(read_runs(path.parent)), approval, report, problem, late,
                  _people(change, approval, snap.policies, language), drill, drill_problem)


def _people(change: ChangeBase, approval: ApprovalView, policies: Policies, language: str) -> dict[str, str]:
    """Display names of everyone the change's page names: requester, engineers, approvers."""
    candidates = (who for role in approval.missing for who in role.candidates)
    named = (change.requested_by, *change.engineers, *(row.approver for row in approval.rows), *candidates)
    return {who: display_name(who, policies, language) for who in named}


def _approvals(estate: Estate, snap: Snapshot, change: ChangeBase, folder: Path) -> ApprovalView:
    """The approval status where it means something: approvals exist, or the change is coming up.

    Judging approvals re-reads every playbook of the plan (a few ms a change), too slow
    for thousands of changes nobody has approved and that are not coming up.
    """
    coming = snap.now <= change.window.end and change.window.start <= snap.now + APPROVALS_AHEAD
    if not coming and not (folder / APPROVALS).is_dir():
        return NOT_EVALUATED
    return approval_view(estate, change.id, change, policies=snap.policies, inventory=snap.inventory, now=snap.now)


def _fault_report(folder: Path, change: ChangeBase, hours: int) -> tuple[FaultReport | None, str, bool]:
    """The fault report of an emergency change, what is wrong with it, and whether it came late."""
    if change.incident is None:
        return None, "", False
    path = folder / FAULT_REPORT
    if not path.is_file():
        return None, "", False
    doc = load(path.read_bytes())
    if doc.problem is not None:
        return None, doc.problem.message, False
    try:
        report = FaultReport.model_validate(doc.data)
    except ValidationError as err:
        return None, str(err.errors()[0]["msg"]), False
    restored = change.incident.restored
    late = restored is not None and report.written > restored + timedelta(hours=hours)
    return report, "", late
