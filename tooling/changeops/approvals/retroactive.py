"""An emergency change runs first and is approved by the customer afterwards, within a deadline.

The rules' ``approvals.emergency.customer_within_hours_after`` (24 h by default) counts from the
end of the change's first run. Past it, a change without its customer approvals is an error.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

from changeops.estate.inventory import Inventory
from changeops.estate.layout import Estate
from changeops.findings import Finding, Severity
from changeops.policy.files import Policies
from changeops.records.model import ChangeBase
from changeops.records.run_summary import read_summaries
from changeops.yaml12 import load


def retroactive_due(estate: Estate, change: ChangeBase, policies: Policies) -> datetime | None:
    """When the customer's approval of an emergency change that has run is due (None: not yet due)."""
    hours = policies.rules.approvals.emergency.customer_within_hours_after
    if change.model != "emergency" or hours is None:
        return None
    runs = read_summaries(estate.changes / change.id)
    return min(run.finished for run in runs) + timedelta(hours=hours) if runs else None


def overdue_customer_approval(estate: Estate, path: Path, change: ChangeBase, policies: Policies,
                              inventory: Inventory, now: datetime) -> Finding | None:
    """An error when the customer's retroactive approval is overdue; None when it is in or not yet due."""
    due = retroactive_due(estate, change, policies)
    if due is None or now < due:
        return None
    from changeops.approvals.status import VALID, approval_status

    status = approval_status(estate, change.id, policies=policies, inventory=inventory, now=now)
    needed = policies.rules.approvals.emergency.customer
    arrived = {i.approver for i in status.approvals if i.state == VALID and i.role == "customer"
               and i.time is not None and i.time <= due}
    if len(arrived) >= needed:
        return None
    line, column = load(path.read_bytes()).locate(("model",))
    return Finding(estate.relative(path), line, column, "emergency-approval-overdue", Severity.ERROR,
                   f"the customer's approval of this emergency change was due {due:%Y-%m-%d %H:%M %Z} "
                   f"({len(arrived)} of {needed} arrived in time)",
                   f"the customer's approver signs `changeops approve {change.id}`; report the overdue approval "
                   "to the customer's change manager")

