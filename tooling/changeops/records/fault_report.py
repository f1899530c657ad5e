"""The fault report (故障处理报告) of an emergency change, due within 24 hours of the repair.

It holds the seven items of the service plan (2.2.6): the times (declared, remote support, on site, repair,
service restored), the engineers of both sides, symptom and impact (from the change's incident), the
handling process, the cause, the solution and the prevention; spare parts fitted and follow-up actions.
Fields added after the first reports are optional, so older reports stay readable.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import Field

from changeops.findings import Finding, Severity
from changeops.records.fields import Aware, Name, NonEmpty, Strict, Text
from changeops.records.fields import Severity as FaultLevel
from changeops.records.report_items import FollowUp, Part
from changeops.records.schema_findings import read_checked


class TimelineEntry(Strict):
    at: Aware
    event: Text = Field(description="what happened; {zh: ..., en: ...} for a customer reading both")


class FaultReport(Strict):
    ticket: NonEmpty = Field(description="the incident ticket of the change")
    severity: FaultLevel
    written: Aware
    author: Name
    remote_support: Aware | None = Field(default=None, description="when remote support began (远程支持时间)")
    on_site_requested: Aware | None = Field(default=None, description="when the customer asked for an engineer "
                                                                      "on site (现场支持请求): on-site arrival counts "
                                                                      "from it (2.2.5.8); none: from the declaration")
    on_site: Aware | None = Field(default=None, description="when an engineer reached the site (现场服务时间); "
                                                            "none when it was handled remotely")
    repaired: Aware | None = Field(default=None, description="when the fault itself was removed (故障排除时间), "
                                                             "which may come after service was restored")
    customer_engineers: list[Name] = Field(default_factory=list, description="the customer's engineers who "
                                                                             "worked with ours (XX与工程师合作)")
    root_cause: Text
    timeline: list[TimelineEntry] = Field(min_length=1)
    resolution: Text
    prevention: Text
    parts: list[Part] = Field(default_factory=list, description="spare parts fitted (备件更换记录)")
    follow_ups: list[FollowUp] = Field(default_factory=list, description="actions promised to the customer")


def fault_report_findings(path: Path, file: str, ticket: str | None) -> list[Finding]:
    """Problems of the fault report at ``path`` (which exists)."""
    report, doc, findings = read_checked(path, file, FaultReport)
    if report is None:
        return findings
    if ticket is not None and report.ticket != ticket:
        return [Finding(file, *doc.locate(("ticket",)), "fault-report-ticket", Severity.ERROR,
                        f"the report is for {report.ticket}, the change answers {ticket}",
                        "a fault report belongs to the incident of its change: correct `ticket`")]
    return []
