"""Why a change may not run now: checked before anything touches a device.

Every reason is a :class:`~changeops.findings.Finding` at its real place: the record's
field for a window or a freeze, the approval file for an approval that does not count.
Refused when the record is invalid or a policy fails, the approval quorum is not met for
the current plan digest, the time is outside the change's window, or a freeze is on (an
emergency change aside). A preview (``--check``) needs a valid record only.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from changeops.estate.inventory import Inventory
from changeops.estate.layout import Estate
from changeops.findings import Finding, Severity
from changeops.policy.context import utc
from changeops.policy.files import Policies
from changeops.records.model import ChangeBase
from changeops.yaml12 import Document, load


@dataclass
class Verdict:
    """Findings (errors refuse the run) and the plan digest that was approved."""

    findings: list[Finding] = field(default_factory=list)
    plan_digest: str | None = None

    @property
    def refused(self) -> bool:
        return any(f.severity is Severity.ERROR for f in self.findings)


@dataclass(frozen=True)
class Judged:
    """What is judged: the change, its record file, the trusted policies and the inventory (each read once)."""

    estate: Estate
    change: ChangeBase
    record: Path
    policies: Policies
    inventory: Inventory

    @property
    def file(self) -> str:
        return self.estate.relative(self.record)

    def at(self, *path: str) -> tuple[int, int]:
        doc: Document = load(self.record.read_bytes())
        return doc.locate(path) if doc.problem is None else (1, 1)


def judge(judged: Judged, *, at: datetime, check: bool) -> Verdict:
    """Every reason the change may not run at ``at`` (``check``: a preview, approval and time not needed)."""
    verdict = Verdict(_record_and_policies(judged, at))
    verdict.plan_digest = _approvals(judged, at, verdict, required=not check)
    if not check:
        verdict.findings += _window(judged, at) + _freeze(judged, at)
    return verdict


def _record_and_policies(judged: Judged, at: datetime) -> list[Finding]:
    from changeops.validation.validate import validate

    report = validate(judged.estate, [judged.record], now=at, policies=judged.policies)
    return [f for f in report.findings if f.severity in (Severity.ERROR, Severity.WARNING)]


def _approvals(judged: Judged, at: datetime, verdict: Verdict, *, required: bool) -> str | None:
    from changeops.approvals.status import approval_status

    status = approval_status(judged.estate, judged.change.id, policies=judged.policies,
                             inventory=judged.inventory, now=at)
    if not required or status.met:
        return status.digest
    for item in status.approvals:
        if item.state != "valid":
            verdict.findings.append(Finding(f"{judged.file.rsplit('/', 1)[0]}/{item.file}", 1, 1,
                                            f"approval-{item.state}", Severity.WARNING,
                                            f"approval by {item.approver} does not count: {item.reason}",
                                            "sign again: changeops approve ID --key KEY"))
    reasons = "; ".join(status.reasons) or "no valid approval for the current plan"
    verdict.findings.append(Finding(judged.file, 1, 1, "approval-quorum", Severity.ERROR,
                                    f"approval quorum not met for plan {status.digest[:19]}…: {reasons}",
                                    "the approvers sign the current plan with changeops approve; "
                                    "see changeops approvals ID"))
    return status.digest


def _window(judged: Judged, at: datetime) -> list[Finding]:
    window = judged.change.window
    start, end = utc(window.start), utc(window.end)
    if start <= utc(at) <= end:
        return []
    line, column = judged.at("window")
    return [Finding(judged.file, line, column, "run-window", Severity.ERROR,
                    f"{utc(at):%Y-%m-%d %H:%M} UTC is outside the change's window "
                    f"({start:%Y-%m-%d %H:%M} – {end:%Y-%m-%d %H:%M} UTC)",
                    "run it inside its window (apply --due does), or move the window and approve again")]


def _freeze(judged: Judged, at: datetime) -> list[Finding]:
    from changeops.policy.freezes import freeze_periods

    day, found = utc(at).date(), []
    for period in freeze_periods(judged.policies, judged.change.customer, day, day):
        if not period.start <= utc(at) < period.end:
            continue
        message = f"freeze '{period.name}' ({period.reason}) is on until {period.end:%Y-%m-%d %H:%M} UTC"
        emergency = judged.change.model == "emergency"
        line, column = judged.at("window")
        found.append(Finding(judged.file, line, column, "run-freeze",
                             Severity.WARNING if emergency else Severity.ERROR,
                             f"emergency change during {message}" if emergency else message,
                             "an emergency change may run in a freeze with its duty approval; others wait"))
    return found
