"""Who a change's quorum still lacks: for each role short of it, the approvers who may still approve."""

from __future__ import annotations

from dataclasses import dataclass

from changeops.approvals.status import VALID, ApprovalStatus
from changeops.policy.files import Policies
from changeops.records.model import ChangeBase

ROLES = ("provider", "customer")


@dataclass(frozen=True)
class MissingApprovals:
    """Valid approvals of one role the quorum still lacks, and the approvers who may give them."""

    role: str
    needed: int
    present: int
    candidates: tuple[str, ...]
    """Each candidate as ``id (name)``."""
    candidate_ids: tuple[str, ...] = ()


def missing_approvals(policies: Policies, change: ChangeBase, status: ApprovalStatus | None
                      ) -> tuple[MissingApprovals, ...]:
    """For each role short of the quorum: how many valid approvals it has, and who else may approve.

    The requester and the engineers are no candidates: they may not approve their own change.
    """
    if status is None:
        return ()
    quorum = getattr(policies.rules.approvals, change.model)
    valid = [item for item in status.approvals if item.state == VALID]
    given = {item.approver for item in valid} | {change.requested_by, *change.engineers}
    missing = []
    for role in ROLES:
        present = len({item.approver for item in valid if item.role == role})
        if present >= getattr(quorum, role):
            continue
        people = [a for a in policies.approvers
                  if a.role == role and change.customer in a.customers and a.id not in given]
        missing.append(MissingApprovals(role, getattr(quorum, role), present,
                                        tuple(f"{a.id} ({a.name})" for a in people), tuple(a.id for a in people)))
    return tuple(missing)
