"""`changeops approve`: sign a statement that covers exactly the current plan."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Literal

from changeops.approvals import sshsig
from changeops.approvals.digest import plan_digest
from changeops.approvals.statement import FOLDER, Approval, render, signed_text
from changeops.errors import UsageError
from changeops.estate.layout import Estate
from changeops.estate.record_files import valid_record
from changeops.policy.files import Approver, Policies


def approve(estate: Estate, change_id: str, *, key: Path, policies: Policies, reject: bool = False,
            comment: str = "", now: datetime | None = None) -> Path:
    """Write ``changes/<ID>/approvals/<approver>.yaml`` signed with ``key``; the approver is the key's holder."""
    path, change = valid_record(estate, change_id)
    approver = approver_of_key(key, policies)
    digest = plan_digest(estate, change.id)
    if not digest.sealed:
        problems = "; ".join(f"{f.file}:{f.line} {f.message}" for f in digest.findings)
        raise UsageError(f"{change.id}'s plan cannot be sealed, so it cannot be approved: {problems}")
    moment = (now or datetime.now(UTC)).astimezone().replace(microsecond=0)
    decision: Literal["approve", "reject"] = "reject" if reject else "approve"
    signature = sshsig.sign(signed_text(change.id, digest.value, decision, approver.id, moment, comment), key)
    approval = Approval(change=change.id, digest=digest.value, decision=decision, approver=approver.id,
                        time=moment, comment=comment, signature=signature)
    target = path.parent / FOLDER / f"{approver.id}.yaml"
    target.parent.mkdir(exist_ok=True)
    target.write_text(render(approval), encoding="utf-8")
    return target


def approver_of_key(key: Path, policies: Policies) -> Approver:
    if not key.is_file():
        raise UsageError(f"{key}: no such private key (give --key, or set git's user.signingkey)")
    public = sshsig.public_key_of(key)
    for approver in policies.approvers:
        if any(" ".join(k.split()[:2]) == public for k in approver.keys):
            return approver
    raise UsageError(f"the key {key} belongs to no approver in policies/approvers.yml ({policies.source})")


def git_signing_key(estate: Estate) -> Path:
    """The private key git's ``user.signingkey`` names for ``estate``; a usage error when none is set."""
    from changeops import git as gitops

    configured = gitops.signing_key(gitops.open_repo(estate.root))
    if not configured or configured.startswith("key::"):
        raise UsageError("no signing key: give --key PATH, or set git config user.signingkey to a key file")
    return Path(configured).expanduser()
