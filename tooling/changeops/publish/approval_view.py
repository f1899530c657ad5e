"""Approvals as the site shows them, when the approvals package is installed.

``changeops.approvals`` may be absent from a build (or fail on a record); the
site then says so instead of failing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from changeops.estate.layout import Estate
from changeops.records.model import ChangeBase


@dataclass(frozen=True)
class ApprovalRow:
    approver: str
    decision: str
    state: str
    reason: str
    time: str
    role: str = ""
    moment: datetime | None = None
    comment: str = ""
    """What the approver wrote with the decision (signed with it)."""


@dataclass(frozen=True)
class MissingRole:
    """A role the quorum still lacks: how many it needs, how many it has, who may still approve (ids)."""

    role: str
    needed: int
    present: int
    candidates: tuple[str, ...]


@dataclass(frozen=True)
class ApprovalView:
    """The approval status of one change; ``available`` is False when it could not be computed."""

    available: bool
    evaluated: bool = True
    met: bool = False
    digest: str = ""
    files: tuple[str, ...] = ()
    rows: tuple[ApprovalRow, ...] = ()
    problem: str = ""
    missing: tuple[MissingRole, ...] = ()

    @property
    def stale(self) -> tuple[ApprovalRow, ...]:
        """Approvals given to an earlier plan: the record or a file it runs changed since."""
        return tuple(row for row in self.rows if row.state == "stale")

    def lacks(self, role: str) -> bool:
        return any(m.role == role for m in self.missing)


UNAVAILABLE = ApprovalView(available=False)
NOT_EVALUATED = ApprovalView(available=True, evaluated=False)


def approval_view(estate: Estate, change_id: str, change: ChangeBase | None = None, **known: Any) -> ApprovalView:
    """The approvals of ``change_id``, or ``UNAVAILABLE``; ``known`` passes what the site read already
    (``policies``, ``inventory``, ``now``) so nothing is read twice. With ``change`` and ``policies``, the
    view also names the approvers the quorum still lacks."""
    try:
        from changeops.approvals.quorum import missing_approvals
        from changeops.approvals.status import approval_status
    except ImportError:
        return UNAVAILABLE
    try:
        status = approval_status(estate, change_id, **known)
        policies = known.get("policies")
        lacking = missing_approvals(policies, change, status) if change is not None and policies else ()
    except Exception as err:  # noqa: BLE001 - one change's approvals must not stop the whole site
        return ApprovalView(available=False, problem=f"{type(err).__name__}: {err}")
    folder = estate.changes / change_id
    rows = tuple(_row(item, folder) for item in getattr(status, "approvals", ()) or ())
    missing = tuple(MissingRole(m.role, m.needed, m.present, m.candidate_ids) for m in lacking)
    return ApprovalView(available=True, met=bool(getattr(status, "met", False)),
                        digest=str(getattr(status, "digest", "") or ""),
                        files=tuple(str(f) for f in getattr(status, "files", ()) or ()), rows=rows, missing=missing)


def _row(item: Any, folder: Path) -> ApprovalRow:
    moment = getattr(item, "time", None)
    when = moment.strftime("%Y-%m-%d %H:%M %z") if isinstance(moment, datetime) else str(moment or "")
    return ApprovalRow(str(getattr(item, "approver", "")), str(getattr(item, "decision", "")),
                       str(getattr(item, "state", "")), str(getattr(item, "reason", "") or ""), when,
                       str(getattr(item, "role", "") or ""), moment if isinstance(moment, datetime) else None,
                       _comment(folder / str(getattr(item, "file", ""))))


def _comment(path: Path) -> str:
    """The comment of the approval file at ``path``, or "" when it has none or cannot be read."""
    from changeops.approvals.statement import read_approval

    if not path.is_file():
        return ""
    approval = read_approval(path)
    return "" if isinstance(approval, str) else approval.comment
