"""Which approvals of a change hold, and whether they make its quorum.

Every approval is judged against ``policies/approvers.yml`` and ``rules.yml`` as they stand
on the **trusted ref** (the base branch in `check`, main when running), never against the
working tree, so a pull request cannot add its own approver.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from changeops.approvals import sshsig
from changeops.approvals.digest import PlanDigest, plan_digest
from changeops.approvals.own import own_people
from changeops.approvals.statement import FOLDER, Approval, read_approval
from changeops.errors import UsageError
from changeops.estate.inventory import Inventory, load_inventory
from changeops.estate.layout import Estate
from changeops.estate.record_files import valid_record
from changeops.findings import Finding
from changeops.policy.context import PolicyContext
from changeops.policy.files import Approver, DirectorySource, Policies, Quorum
from changeops.policy.freezes import check_freeze
from changeops.records.model import ChangeBase

VALID, REJECTED = "valid", "rejected"


@dataclass(frozen=True)
class ApprovalItem:
    file: str
    approver: str
    decision: str
    time: datetime | None
    # valid | rejected | stale | bad-signature | unknown-key | revoked | not-authorised | self-approval | malformed
    state: str
    reason: str
    role: str | None = None


@dataclass
class ApprovalStatus:
    change: str
    digest: str
    files: list[str]
    approvals: list[ApprovalItem] = field(default_factory=list)
    met: bool = False
    reasons: list[str] = field(default_factory=list)
    pending: list[str] = field(default_factory=list)
    trusted: str = ""
    plan_findings: list[Finding] = field(default_factory=list)
    """References the plan digest cannot resolve statically (with file and line)."""


def approval_status(estate: Estate, change_id: str, *, trusted_ref: str | None = None,
                    policies: Policies | None = None, inventory: Inventory | None = None,
                    now: datetime | None = None, base: str | None = None) -> ApprovalStatus:
    """The state of every approval of ``change_id`` and whether the quorum is met for the current plan.

    ``base`` is where the branch under review starts (default: the trusted ref, else main): whoever
    committed to the plan's files since then cannot approve it.
    """
    path, change = valid_record(estate, change_id)
    trusted, label = policies, "given policies"
    if trusted is None:
        trusted, label = trusted_policies(estate, trusted_ref)
    inventory = inventory or load_inventory(estate)
    digest = plan_digest(estate, change.id)
    own = own_people(estate, change, path, list(digest.files), trusted, base=base or trusted_ref)
    items = [judge(file, change, digest, trusted, own) for file in sorted((path.parent / FOLDER).glob("*.yaml"))]
    status = ApprovalStatus(change.id, digest.value, list(digest.files), items, trusted=label,
                            plan_findings=list(digest.findings))
    _quorum(status, change, trusted, inventory, now or datetime.now(UTC))
    if not digest.sealed:
        status.met = False
        status.reasons.append("the plan cannot be sealed (see the plan findings): nothing can approve or run it")
    return status


def trusted_policies(estate: Estate, ref: str | None) -> tuple[Policies, str]:
    """Policies from ``ref`` (default: main, when the repository has it; else the working tree)."""
    from changeops import git as gitops
    from changeops.policy.engine import read_policies

    try:
        repo = gitops.open_repo(estate.root)
    except UsageError:
        return read_policies(DirectorySource(estate.policies)), "working tree (not a git repository)"
    name = ref or ("main" if "main" in [h.name for h in repo.heads] else None)
    if name is None:
        return read_policies(DirectorySource(estate.policies)), "working tree (no main branch)"
    commit = gitops.resolve(repo, name)
    label = f"{name} ({gitops.short(commit)})"
    return read_policies(gitops.GitPolicySource(commit, label)), label


def judge(file: Path, change: ChangeBase, digest: PlanDigest, policies: Policies,
          own: Mapping[str, str]) -> ApprovalItem:
    """One approval's state, checked in order: readable, signed by its approver, allowed, current."""
    name = f"{FOLDER}/{file.name}"
    approval = read_approval(file)
    if isinstance(approval, str):
        return ApprovalItem(name, file.stem, "?", None, "malformed", approval)
    approver = next((a for a in policies.approvers if a.id == approval.approver), None)

    def item(state: str, reason: str) -> ApprovalItem:
        return ApprovalItem(name, approval.approver, approval.decision, approval.time, state, reason,
                            approver.role if approver else None)

    signature_problem = _signature_problem(approval, approver, policies)
    if signature_problem is not None:
        return item(*signature_problem)
    assert approver is not None
    if change.customer not in approver.customers:
        return item("not-authorised", f"{approver.id} may approve for {', '.join(approver.customers)}, "
                                      f"not {change.customer}")
    if approver.id in own:
        return item("self-approval", f"{approver.id} {own[approver.id]}")
    if approval.change != change.id:
        return item("stale", f"the statement approves {approval.change}, not this change")
    if approval.digest != digest.value:
        return item("stale", "the plan changed after this approval (the record or a file it runs was edited)")
    if approval.decision == "reject":
        return item(REJECTED, approval.comment or "rejected")
    return item(VALID, "signature and plan digest verified")


def _signature_problem(approval: Approval, approver: Approver | None, policies: Policies) -> tuple[str, str] | None:
    signers = [sshsig.Signer(a.id, " ".join(key.split()[:2])) for a in policies.approvers for key in a.keys]
    revoked = [" ".join(r.key.split()[:2]) for r in policies.revoked_keys]
    if approver is None:
        return "unknown-key", f"{approval.approver} is not an approver in policies/approvers.yml"
    ok, _ = sshsig.verify(approval.statement(), approval.signature, approver.id, signers, revoked)
    if ok:
        return None
    if revoked and sshsig.verify(approval.statement(), approval.signature, approver.id, signers, [])[0]:
        return "revoked", "the signing key is revoked in policies/approvers.yml"
    others = sshsig.principals_of(approval.signature, signers)
    if not others:
        return "unknown-key", "the signature is by a key no approver holds"
    if approver.id not in others:
        return "bad-signature", f"signed by {', '.join(others)}'s key, not {approver.id}'s"
    return "bad-signature", "the signature does not match the statement (edited after signing)"


def _quorum(status: ApprovalStatus, change: ChangeBase, policies: Policies, inventory: Inventory,
            now: datetime) -> None:
    quorum: Quorum = getattr(policies.rules.approvals, change.model)
    valid = [i for i in status.approvals if i.state == VALID]
    rejected = [i for i in status.approvals if i.state == REJECTED]
    count = {role: len({i.approver for i in valid if i.role == role}) for role in ("customer", "provider")}
    reasons = [f"rejected by {i.approver}: {i.reason}" for i in rejected]
    customer_later = quorum.customer_within_hours_after is not None
    for role, needed in (("provider", quorum.provider), ("customer", quorum.customer)):
        if count[role] >= needed:
            continue
        message = f"{needed} valid {role} approval{'s' if needed != 1 else ''} needed, {count[role]} present"
        if role == "customer" and customer_later:
            status.pending.append(f"{message}: due within {quorum.customer_within_hours_after} h after the run")
        else:
            reasons.append(message)
    duty = policies.rules.approvals.freeze_duty
    if change.model == "emergency" and _in_freeze(change, policies, inventory, now):
        holders = {a.id for a in policies.approvers if duty in a.duties}
        if not any(i.approver in holders for i in valid):
            reasons.append(f"in a freeze an emergency change needs the approval of an approver with duty {duty} "
                           f"({', '.join(sorted(holders)) or 'none defined'})")
    reasons += _risk_reasons(valid, change, policies)
    status.reasons, status.met = reasons, not reasons


def _risk_reasons(valid: list[ApprovalItem], change: ChangeBase, policies: Policies) -> list[str]:
    """A high or critical risk needs, on top of the quorum, a valid approval by the duty the rules name."""
    duty = policies.rules.approvals.extra_by_risk.get(change.risk.level)
    if duty is None:
        return []
    holders = {p.id for p in policies.everyone() if duty in p.duties}
    if any(i.approver in holders for i in valid):
        return []
    return [f"a {change.risk.level}-risk change also needs the approval of a person with duty {duty} "
            f"({', '.join(sorted(holders)) or 'none defined'})"]


def _in_freeze(change: ChangeBase, policies: Policies, inventory: Inventory, now: datetime) -> bool:
    return any(True for _ in check_freeze(change, PolicyContext(policies, inventory, now)))
