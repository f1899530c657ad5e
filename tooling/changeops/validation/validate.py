"""Validate an estate: records, runbooks, inventory and policies; every problem a finding with a hint.

Per-record results are cached; checks across records (duplicate IDs, conflicts, overdue
fault reports) run on the cached facts every time, so they never go stale.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from functools import partial
from pathlib import Path
from zoneinfo import ZoneInfo

from changeops.bundle.closure import Closure
from changeops.bundle.source import WorkTree
from changeops.errors import UsageError
from changeops.estate.archive import archive_root
from changeops.estate.drift import archive_report
from changeops.estate.inventory import inventory_sources
from changeops.estate.layout import Estate
from changeops.estate.runbooks import read_runbook
from changeops.estate.state_dir import tracked_state_findings
from changeops.estate.symlinks import symlink_findings, symlinks_in
from changeops.findings import Finding, Report, Severity, sorted_findings
from changeops.policy.conflicts import Booking, check_conflicts
from changeops.policy.duty_checks import duty_findings
from changeops.policy.emergency import FAULT_REPORT, overdue_report
from changeops.policy.engine import max_window_days, read_policies
from changeops.policy.files import FILES, DirectorySource, Policies
from changeops.policy.notice import notice_from_future
from changeops.policy.sla import site_findings
from changeops.records.fields import id_date
from changeops.records.model import read_change
from changeops.records.period_report import period_report_findings
from changeops.validation import cache as result_cache
from changeops.validation.cache import RecordResult
from changeops.validation.record_check import Checker, check_in_parallel
from changeops.yaml12 import load


@dataclass(frozen=True)
class Selection:
    """Which parts of the estate a validate run reports on."""

    records: tuple[Path, ...]
    inventory: bool
    runbooks: tuple[Path, ...]
    policies: bool
    reports: bool = False


def select(estate: Estate, paths: Iterable[Path], records: list[Path]) -> Selection:
    """The records, runbooks, inventory and policies under ``paths`` (everything when there are none)."""
    chosen = [p.resolve() for p in paths] or [estate.root]
    for path in chosen:
        if not path.exists():
            raise UsageError(f"{path}: no such file or folder")

    def under(path: Path) -> bool:  # estate paths are already absolute and resolved
        return any(_within(path, c) for c in chosen)

    return Selection(
        records=tuple(p for p in records if under(p)),
        inventory=under(estate.inventory) or any(_within(p, estate.inventory) for p in chosen),
        runbooks=tuple(p for p in estate.runbook_files() if under(p)),
        policies=under(estate.policies) or any(_within(p, estate.policies) for p in chosen),
        reports=under(estate.reports) or any(_within(p, estate.reports) for p in chosen),
    )


def _within(path: Path, folder: Path) -> bool:
    return path == folder or path.is_relative_to(folder)


def validate(estate: Estate, paths: Iterable[Path] = (), *, use_cache: bool = True, now: datetime | None = None,
             policies: Policies | None = None) -> Report:
    """Check what ``paths`` select against ``policies`` (default: the working tree's)."""
    paths = list(paths)
    records = estate.record_files()
    selection = select(estate, paths, records)
    policies = policies or read_policies(DirectorySource(estate.policies))
    checker = Checker(estate, policies, now or datetime.now(UTC))
    store = result_cache.open_cache(estate, policies.digest) if use_cache else None
    results = Results(checker, store)
    results.check_many(selection.records)
    findings: list[Finding] = []
    for path in selection.records:
        findings += results.of(path).findings
        findings += future_notice(checker, path)
    findings += across_records(results, selection.records, records)
    findings += _context(store, selection, estate, checker, policies)
    if not paths or selection.policies:
        findings += _schedule(checker, records)
    findings += symlink_findings(symlinks_in(estate))
    if not paths:
        findings += tracked_state_findings(estate.root)
    if not paths or any(_within(p.resolve(), archive_root(estate)) for p in paths):
        findings += archive_report(estate, checker.references.inventory).findings
    if store is not None:
        store.save()
    checked = (len(selection.records) + len(selection.runbooks)
               + (len(inventory_sources(estate)) if selection.inventory else 0)
               + (len(FILES) if selection.policies else 0))
    return Report(checked=checked, findings=sorted_findings(findings))


class Results:
    """Record results, from the cache when the record is unchanged."""

    def __init__(self, checker: Checker, store: result_cache.ResultCache | None) -> None:
        self.checker, self.store = checker, store
        self.known: dict[str, RecordResult] = {}

    def check_many(self, paths: Iterable[Path]) -> None:
        """Check the records the cache cannot answer, on every core when there are many."""
        missing = []
        for path in paths:
            cached = self.store.get(path) if self.store is not None else None
            if cached is None:
                missing.append(path)
            else:
                self.known[str(path)] = cached
        for path, result in zip(missing, check_in_parallel(self.checker, missing), strict=True):
            self.known[str(path)] = result
            if self.store is not None:
                self.store.put(path, result)

    def of(self, path: Path) -> RecordResult:
        key = str(path)
        if key not in self.known:
            result = self.store.get(path) if self.store is not None else None
            if result is None:
                result = self.checker.check(path)
                if self.store is not None:
                    self.store.put(path, result)
            self.known[key] = result
        return self.known[key]


def across_records(results: Results, selected: Iterable[Path], every: list[Path], *, label: str = "scheduled",
                   others: Iterable[Booking] = ()) -> list[Finding]:
    """Duplicate IDs, conflicts and overdue fault reports of the ``selected`` records.

    Conflicts are looked for among the records of ``every`` near in time (``label`` names the
    selected ones in messages) and among ``others``, which replace records of the same ID.
    """
    checker = results.checker
    selected = list(selected)
    folders = {p.parent.name for p in every}
    names = {p.parent.name for p in selected}
    days = _days_near(selected, max_window_days(checker.policies))
    bookings = {p.parent.name: b for p in every if id_date(p.parent.name) in days
                and (b := _booking(results, p, label if p.parent.name in names else "scheduled")) is not None}
    bookings.update({b.change_id: b for b in others})
    by_host: dict[str, list[Booking]] = {}
    for booking in bookings.values():
        for host in booking.hosts:
            by_host.setdefault(host, []).append(booking)
    findings: list[Finding] = []
    for path in selected:
        result = results.of(path)
        findings += _duplicate_id(checker.estate, path, result, folders)
        mine = bookings.get(path.parent.name)
        if mine is None:
            continue
        sharing = {id(b): b for host in (*mine.hosts, *mine.peers) for b in by_host.get(host, ()) if b is not mine}
        findings += _conflicts(checker, checker.estate.relative(path), mine, result, list(sharing.values()))
        findings += _overdue(checker, path, result)
        findings += _retroactive(checker, path)
    return findings


def future_notice(checker: Checker, path: Path) -> list[Finding]:
    """A notice dated after now: judged on every run (the clock moves; the record's cached result does not)."""
    raw = path.read_bytes()
    if b"notice:" not in raw:
        return []
    change = read_change(raw)
    issue = notice_from_future(change, checker.now) if change is not None else None
    if issue is None:
        return []
    return [Finding(checker.estate.relative(path), *load(raw).locate(issue.path), issue.rule, issue.severity,
                    issue.message, issue.hint)]


def _retroactive(checker: Checker, path: Path) -> list[Finding]:
    """An emergency change whose customer approval, due after its run, has not arrived in time."""
    change = read_change(path.read_bytes())
    if change is None or change.model != "emergency" or not checker.policies.usable:
        return []
    from changeops.approvals.retroactive import overdue_customer_approval

    found = overdue_customer_approval(checker.estate, path, change, checker.policies, checker.references.inventory,
                                      checker.now)
    return [found] if found is not None else []


def _booking(results: Results, path: Path, origin: str) -> Booking | None:
    data = results.of(path).booking
    return Booking.from_json(data, origin) if data is not None else None


def _days_near(selected: list[Path], span: int) -> set[date]:
    """ID dates of records whose windows could overlap the selected ones' (all, for a whole estate)."""
    days: set[date] = set()
    for path in selected:
        day = id_date(path.parent.name)
        if day is not None:
            days |= {day + timedelta(days=offset) for offset in range(-span, span + 1)}
    return days


def _conflicts(checker: Checker, file: str, mine: Booking, result: RecordResult,
               bookings: list[Booking]) -> list[Finding]:
    customer = checker.policies.customers.get(mine.customer)
    issues = check_conflicts(mine, bookings, include_peers=checker.policies.rules.conflict.include_peers,
                             zone=ZoneInfo(customer.zone if customer else "UTC"), now=checker.now)
    return [Finding(file, *result.window_at, i.rule, i.severity, i.message, i.hint) for i in issues]


def _overdue(checker: Checker, path: Path, result: RecordResult) -> list[Finding]:
    due = datetime.fromisoformat(result.report_due) if result.report_due else None
    issue = overdue_report(due, (path.parent / FAULT_REPORT).is_file(), checker.now)
    if issue is None:
        return []
    doc = load(path.read_bytes())
    return [Finding(checker.estate.relative(path), *doc.locate(issue.path), issue.rule, issue.severity,
                    issue.message, issue.hint.replace("<ID>", path.parent.name))]


def _duplicate_id(estate: Estate, path: Path, result: RecordResult, folders: set[str]) -> list[Finding]:
    folder = path.parent.name
    if result.change_id is None or result.change_id == folder or result.change_id not in folders:
        return []
    return [Finding(estate.relative(path), *result.id_at, "id-duplicate", Severity.ERROR,
                    f"changes/{result.change_id}/ already holds a record with the ID {result.change_id}",
                    "IDs are unique: give this change its own ID and folder")]


def _schedule(checker: Checker, records: list[Path]) -> list[Finding]:
    """Scheduled monthly inspections without a record (only inspection records are parsed for it)."""
    if not checker.policies.inspections.schedule:
        return []
    from changeops.validation.inspections import schedule_findings

    raws = (path.read_bytes() for path in records)
    changes = [c for raw in raws if b"inspection" in raw and (c := read_change(raw)) is not None]
    return schedule_findings(checker.policies, changes, checker.references.inventory, checker.now)


def _context(store: result_cache.ResultCache | None, selection: Selection, estate: Estate, checker: Checker,
             policies: Policies) -> list[Finding]:
    findings: list[Finding] = []
    if selection.inventory:
        findings += _cached(store, "inventory", lambda: checker.references.inventory.findings)
    for runbook in selection.runbooks:
        findings += _cached(store, estate.relative(runbook), partial(_runbook_findings, estate, runbook))
    if selection.policies:
        findings += policies.findings
        findings += _cached(store, "policies/duty.yml", partial(duty_findings, policies))  # keyed by the policies
        findings += site_findings(policies.sla, {f.site for f in checker.references.inventory.facts.values()},
                                  policies.documents.get("sla.yml"))
    if selection.records:
        findings += _cached(store, "plan", partial(plan_findings, estate))
    if selection.reports:
        findings += [f for path in sorted(estate.reports.glob("*.y*ml"))
                     for f in period_report_findings(path, estate.relative(path))]
    return findings


def plan_findings(estate: Estate) -> list[Finding]:
    """What no plan could seal: every top-level playbook's closure, resolved as a run would resolve it."""
    closure = Closure(WorkTree(estate.root))
    for path in sorted(estate.playbooks.glob("*.y*ml")):
        if path.is_file() and not path.is_symlink():
            closure.add_playbook(estate.relative(path))
    return list(closure.findings)


def _runbook_findings(estate: Estate, runbook: Path) -> list[Finding]:
    return read_runbook(estate, runbook)[1]


def _cached(store: result_cache.ResultCache | None, key: str, compute: Callable[[], list[Finding]]) -> list[Finding]:
    """Findings of the inventory or a runbook: files that are part of the cache's fingerprint."""
    cached = store.get_context(key) if store is not None else None
    if cached is None:
        cached = compute()
        if store is not None:
            store.put_context(key, cached)
    return cached
