"""Emergency changes: a fault report (故障处理报告) is due within N hours of the repair."""

from __future__ import annotations

from datetime import datetime, timedelta

from changeops.findings import Severity
from changeops.policy.context import PolicyIssue, utc
from changeops.records.model import ChangeBase

FAULT_REPORT = "fault-report.yaml"


def fault_report_due(change: ChangeBase, hours: int) -> datetime | None:
    """When the fault report of an emergency change is due: ``hours`` after service was restored."""
    if change.model != "emergency" or change.incident is None or change.incident.restored is None:
        return None
    return utc(change.incident.restored) + timedelta(hours=hours)


def overdue_report(due: datetime | None, has_report: bool, now: datetime) -> PolicyIssue | None:
    if due is None or has_report or now < due:
        return None
    return PolicyIssue("policy-fault-report", ("incident", "restored"),
                       f"the fault report was due {due:%Y-%m-%d %H:%M} UTC and is missing",
                       f"write changes/<ID>/{FAULT_REPORT}: the times (remote support, on site, repair), both sides' "
                       "engineers, timeline, root cause, resolution and prevention",
                       Severity.WARNING)
