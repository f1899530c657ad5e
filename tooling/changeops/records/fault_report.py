"""The fault report (故障处理报告) of an emergency change, due within 24 hours of the repair."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field, ValidationError

from changeops.findings import Finding, Severity
from changeops.records.fields import Aware, Name, NonEmpty, Strict, Text
from changeops.records.fields import Severity as FaultLevel
from changeops.records.schema_findings import schema_findings
from changeops.yaml12 import load


class TimelineEntry(Strict):
    at: Aware
    event: Text


class FaultReport(Strict):
    ticket: NonEmpty = Field(description="the incident ticket of the change")
    severity: FaultLevel
    written: Aware
    author: Name
    root_cause: Text
    timeline: list[TimelineEntry] = Field(min_length=1)
    resolution: Text
    prevention: Text


def fault_report_findings(path: Path, file: str, ticket: str | None) -> list[Finding]:
    """Problems of the fault report at ``path`` (which exists)."""
    doc = load(path.read_bytes())
    if doc.problem is not None:
        p = doc.problem
        return [Finding(file, p.line, p.column, p.rule, Severity.ERROR, p.message, p.hint)]
    try:
        report = FaultReport.model_validate(doc.data)
    except ValidationError as err:
        return schema_findings(err, doc, file, FaultReport)
    if ticket is not None and report.ticket != ticket:
        return [Finding(file, *doc.locate(("ticket",)), "fault-report-ticket", Severity.ERROR,
                        f"the report is for {report.ticket}, the change answers {ticket}",
                        "a fault report belongs to the incident of its change: correct `ticket`")]
    return []
