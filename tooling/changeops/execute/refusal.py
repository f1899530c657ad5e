"""Why a change may not run now: checked before anything touches a device.

Refused when the record is invalid or a policy fails (the working tree's policies, as
`validate` applies them), the approval quorum is not met for the current plan digest,
the time is outside the change's window, or a freeze is on (an emergency change aside).
`--check` needs a valid record only: it is the dry run engineers do before approval.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from changeops.estate.layout import Estate
from changeops.findings import Severity
from changeops.policy.context import utc
from changeops.records.model import ChangeBase


@dataclass
class Verdict:
    """Reasons to refuse (empty: go), warnings to show, and the plan digest that was approved."""

    reasons: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    plan_digest: str | None = None

    @property
    def refused(self) -> bool:
        return bool(self.reasons)


def judge(estate: Estate, change: ChangeBase, *, at: datetime, check: bool) -> Verdict:
    """Every reason ``change`` may not run at ``at`` (``check``: a dry run, approval and time not needed)."""
    verdict = Verdict()
    _record_and_policies(estate, change, at, verdict)
    verdict.plan_digest = _approvals(estate, change, at, verdict, required=not check)
    if not check:
        _window(change, at, verdict)
        _freeze(estate, change, at, verdict)
    return verdict


def _record_and_policies(estate: Estate, change: ChangeBase, at: datetime, verdict: Verdict) -> None:
    from changeops.records.validate import validate

    report = validate(estate, [estate.record_path(change.id)], now=at)
    for finding in report.findings:
        where = f"{finding.file}:{finding.line}"
        if finding.severity is Severity.ERROR:
            verdict.reasons.append(f"{where} [{finding.rule}] {finding.message} (hint: {finding.hint})")
        elif finding.severity is Severity.WARNING:
            verdict.warnings.append(f"{where} [{finding.rule}] {finding.message}")


def _approvals(estate: Estate, change: ChangeBase, at: datetime, verdict: Verdict, *, required: bool) -> str | None:
    try:
        from changeops.approvals.status import approval_status
    except ImportError:
        if required:
            verdict.reasons.append("approval quorum not met: approvals are not available")
        return None
    status = approval_status(estate, change.id, now=at)
    if required and not status.met:
        reasons = "; ".join(status.reasons) or "no valid approval for the current plan"
        verdict.reasons.append(f"approval quorum not met for plan {status.digest[:19]}…: {reasons}")
    return status.digest


def _window(change: ChangeBase, at: datetime, verdict: Verdict) -> None:
    start, end = utc(change.window.start), utc(change.window.end)
    if not start <= utc(at) <= end:
        verdict.reasons.append(f"{utc(at):%Y-%m-%d %H:%M} UTC is outside the change's window "
                               f"({start:%Y-%m-%d %H:%M} – {end:%Y-%m-%d %H:%M} UTC)")


def _freeze(estate: Estate, change: ChangeBase, at: datetime, verdict: Verdict) -> None:
    from changeops.policy.engine import read_policies
    from changeops.policy.files import DirectorySource
    from changeops.policy.freezes import freeze_periods

    policies = read_policies(DirectorySource(estate.policies))
    day = utc(at).date()
    for period in freeze_periods(policies, change.customer, day, day):
        if period.start <= utc(at) < period.end:
            message = f"freeze '{period.name}' ({period.reason}) is on until {period.end:%Y-%m-%d %H:%M} UTC"
            if change.model == "emergency":
                verdict.warnings.append(f"emergency change during {message}")
            else:
                verdict.reasons.append(message)
