"""Check one change record: its YAML, its schema, its consistency, its references and its policies."""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from changeops.estate.inventory import load_inventory
from changeops.estate.layout import Estate
from changeops.findings import Finding, Severity
from changeops.policy.conflicts import booking_of
from changeops.policy.context import PolicyContext, PolicyIssue
from changeops.policy.emergency import FAULT_REPORT, fault_report_due
from changeops.policy.engine import policy_issues
from changeops.policy.files import Policies
from changeops.records.drill_report import DRILL_REPORT, drill_report_findings
from changeops.records.fault_report import fault_report_findings
from changeops.records.model import (
    ChangeBase,
    DrillChange,
    EmergencyChange,
    MoveChange,
    PatchChange,
    UpgradeChange,
    parse_change,
)
from changeops.records.placeholders import MARKER, placeholder_paths
from changeops.records.rules import record_issues
from changeops.records.schema_findings import schema_findings
from changeops.validation.cache import RecordResult
from changeops.validation.references import References, reference_issues
from changeops.yaml12 import Document, load

MODEL_OF_TYPE: dict[str, type[BaseModel]] = {
    "patch": PatchChange, "upgrade": UpgradeChange, "drill": DrillChange, "device-move": MoveChange,
    "emergency": EmergencyChange}


@dataclass
class Checker:
    """Checks records against one estate, one set of policies and one moment; inventory read once."""

    estate: Estate
    policies: Policies
    now: datetime
    _refs: References | None = field(default=None, repr=False)

    @property
    def references(self) -> References:
        if self._refs is None:
            self._refs = References(self.estate, load_inventory(self.estate))
        return self._refs

    @property
    def context(self) -> PolicyContext:
        return PolicyContext(self.policies, self.references.inventory, self.now)

    def check(self, path: Path) -> RecordResult:
        """Every finding of the record at ``path`` that depends on it and the context alone."""
        file = self.estate.relative(path)
        raw = path.read_bytes()
        doc = load(raw)
        if doc.problem is not None:
            p = doc.problem
            return RecordResult((Finding(file, p.line, p.column, p.rule, Severity.ERROR, p.message, p.hint),), None)
        if not isinstance(doc.data, dict):
            return RecordResult((Finding(
                file, 1, 1, "record-shape", Severity.ERROR, "a change record is a mapping of fields",
                "start with `id:`, `title:`, `type:` ...; `changeops new` writes a complete record"),), None)
        change_id = doc.data.get("id") if isinstance(doc.data.get("id"), str) else None
        placeholders = placeholder_paths(doc.data) if MARKER.encode() in raw else []
        findings = [_at(doc, file, issue) for issue in _placeholder_issues(placeholders)]
        try:
            change = parse_change(doc.data)
        except ValidationError as err:
            model = MODEL_OF_TYPE.get(str(doc.data.get("type")))
            findings += [f for f in schema_findings(err, doc, file, model) if not _covered(f, doc, placeholders)]
            return RecordResult(tuple(findings), change_id, doc.locate(("id",)))
        findings += [_at(doc, file, issue) for issue in self._issues(change, path)
                     if not _issue_covered(issue.path, placeholders)]
        report = path.parent / FAULT_REPORT
        if report.is_file():
            findings += fault_report_findings(report, self.estate.relative(report),
                                              change.incident.ticket if change.incident else None)
        drill = path.parent / DRILL_REPORT
        if drill.is_file():
            findings += drill_report_findings(drill, self.estate.relative(drill), change.window.start)
        return self._result(change, doc, findings)

    def _issues(self, change: ChangeBase, path: Path) -> Iterator[PolicyIssue]:
        for rule, where, message, hint in [*record_issues(change, path.parent.name),
                                           *reference_issues(change, self.references)]:
            yield PolicyIssue(rule, where, message, hint)
        if self.policies.usable:
            yield from policy_issues(change, self.context)

    def _result(self, change: ChangeBase, doc: Document, findings: list[Finding]) -> RecordResult:
        due = fault_report_due(change, self.policies.rules.freeze.fault_report_hours)
        booking = booking_of(change, self.references.inventory, "")
        return RecordResult(tuple(findings), change.id, doc.locate(("id",)), booking.as_json(),
                            doc.locate(("window", "start")), due.isoformat() if due else None)


def _placeholder_issues(paths: list[tuple[Any, ...]]) -> Iterator[PolicyIssue]:
    for path in paths:
        field_name = ".".join(str(p) for p in path)
        yield PolicyIssue("placeholder", path, f"`{field_name}` is still a placeholder",
                          "replace the TODO text with the real value")


def _covered(finding: Finding, doc: Document, placeholders: list[tuple[Any, ...]]) -> bool:
    return any(doc.locate(path) == (finding.line, finding.column) for path in placeholders)


def _issue_covered(path: tuple[Any, ...], placeholders: list[tuple[Any, ...]]) -> bool:
    return any(path[: len(p)] == p for p in placeholders)


def _at(doc: Document, file: str, issue: PolicyIssue) -> Finding:
    line, column = doc.locate(issue.path)
    return Finding(file, line, column, issue.rule, issue.severity, issue.message, issue.hint)


PARALLEL_FROM = 400
"""Below this many records, starting worker processes costs more than it saves."""

_worker_checker: Checker | None = None


def check_in_parallel(checker: Checker, paths: list[Path], *, threshold: int = PARALLEL_FROM) -> list[RecordResult]:
    """``checker.check`` of every path, in order; split over forked workers for large batches.

    The workers are forked after the inventory and policies are loaded, so they share them
    instead of reading them again. Where fork is unavailable, or for small batches, the
    records are checked here.
    """
    workers = min(os.cpu_count() or 1, 8)
    if len(paths) < threshold or workers < 2 or "fork" not in multiprocessing.get_all_start_methods():
        return [checker.check(path) for path in paths]
    global _worker_checker
    checker.references  # load the inventory once, before forking  # noqa: B018
    _worker_checker = checker
    try:
        with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork")) as pool:
            return list(pool.map(_check_in_worker, paths, chunksize=max(16, len(paths) // (workers * 8))))
    finally:
        _worker_checker = None


def _check_in_worker(path: Path) -> RecordResult:
    assert _worker_checker is not None
    return _worker_checker.check(path)
