"""What an approver must not miss on a change's page: runs outside the window, a clock override, stale
approvals, a customer approval that is overdue. Each is a sentence in the customer's language."""

from __future__ import annotations

from datetime import datetime, timedelta

from changeops.policy.files import Policies
from changeops.publish.labels import labels_for
from changeops.publish.runs import Run
from changeops.publish.snapshot import Record


def irregularities(record: Record, policies: Policies, now: datetime) -> list[str]:
    """Every irregular thing about ``record`` as of ``now``, oldest run first; empty when all is in order."""
    found = [*_runs(record)]
    found += _stale(record)
    due = customer_approval_due(record, policies)
    if due is not None and due <= now and record.approval.available and record.approval.lacks("customer"):
        found.append(labels_for(record.language).warn_customer_overdue.format(due=record.local(due)))
    return found


def customer_approval_due(record: Record, policies: Policies) -> datetime | None:
    """When the customer's approval is due: before the window opens, or (when the quorum allows approving
    after the fact, as for emergencies) that many hours after the first run started."""
    quorum = getattr(policies.rules.approvals, record.change.model, None)
    hours = getattr(quorum, "customer_within_hours_after", None)
    if hours is None:
        return record.change.window.start
    first = next((run.started for run in record.runs if run.started is not None), None)
    return first + timedelta(hours=hours) if first is not None else None


def _runs(record: Record) -> list[str]:
    L, window = labels_for(record.language), record.change.window
    found = []
    for run in record.runs:
        if _outside(run, window.start, window.end):
            found.append(L.warn_outside_window.format(
                run=run.id, started=_at(record, run.started), finished=_at(record, run.finished),
                start=record.local(window.start), end=record.local(window.end)))
        if run.clock is not None:
            found.append(L.warn_clock.format(run=run.id, judged=record.local(run.clock.judged_at),
                                             real=record.local(run.clock.real_time), reason=run.clock.reason))
    return found


def _outside(run: Run, start: datetime, end: datetime) -> bool:
    first, last = run.started, run.finished or run.started
    return (first is not None and first < start) or (last is not None and last > end)


def _stale(record: Record) -> list[str]:
    stale = record.approval.stale
    if not stale:
        return []
    names = "; ".join(record.person(row.approver) for row in stale)
    return [labels_for(record.language).warn_stale.format(names=names)]


def _at(record: Record, moment: datetime | None) -> str:
    return record.local(moment) if moment is not None else "?"
