"""A policy change is a change: a pull request that edits ``policies/`` needs signed approvals.

The approvals sign the **policy diff digest**: for every file under ``policies/`` the pull request
changes (since its merge base), the file's path and the SHA-256 of its content on the base and at
the head, in path order. They live in ``.changeops/policy-approvals/<first 16 hex of the digest>/
<person id>.yaml`` (outside ``policies/``, so approving does not change what is approved), are
signed with ``ssh-keygen -Y sign`` in the namespace ``changeops-policy-approval``, and count only
when signed by a person who holds the ``policy-admin`` duty (``rules.yml: policy_changes``) **as
the base defines them**, and who authored or committed none of the pull request's commits.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal

from pydantic import ValidationError

from changeops.approvals import sshsig
from changeops.errors import UsageError
from changeops.policy.files import Person, Policies
from changeops.records.fields import Aware, NonEmpty, Strict
from changeops.yaml12 import load

FOLDER = ".changeops/policy-approvals"
NAMESPACE = "changeops-policy-approval"
ABSENT = "absent"


@dataclass(frozen=True)
class PolicyDiff:
    """What a policy approval covers: the changed policy files and the digest over base and head contents."""

    files: tuple[str, ...]
    digest: str

    @property
    def folder(self) -> str:
        return f"{FOLDER}/{self.digest.removeprefix('sha256:')[:16]}"


def diff_digest(files: list[str], base: dict[str, bytes | None], head: dict[str, bytes | None]) -> PolicyDiff:
    """The canonical digest of the policy diff: one line per file, ``path\\0base-sha\\0head-sha``."""
    lines = []
    for path in sorted(files):
        before, after = (_content_sha(side.get(path)) for side in (base, head))
        lines.append(f"{path}\0{before}\0{after}\n")
    digest = hashlib.sha256("".join(lines).encode()).hexdigest()
    return PolicyDiff(tuple(sorted(files)), f"sha256:{digest}")


def _content_sha(content: bytes | None) -> str:
    return ABSENT if content is None else hashlib.sha256(content).hexdigest()


class PolicyApproval(Strict):
    digest: NonEmpty
    files: list[NonEmpty]
    decision: Literal["approve", "reject"]
    approver: NonEmpty
    time: Aware
    comment: str = ""
    signature: NonEmpty

    def statement(self) -> bytes:
        """The exact bytes signed: every field but the signature."""
        return statement(self.digest, self.files, self.decision, self.approver, self.time, self.comment)


def statement(digest: str, files: list[str], decision: str, approver: str, time: datetime, comment: str) -> bytes:
    lines = ["changeops-policy-approval v1", f"digest: {digest}", f"files: {json.dumps(sorted(files))}",
             f"decision: {decision}", f"approver: {approver}", f"time: {time.isoformat()}",
             f"comment: {json.dumps(comment, ensure_ascii=False)}"]
    return ("\n".join(lines) + "\n").encode()


def render(approval: PolicyApproval) -> str:
    """The approval file; every value JSON-quoted so the YAML reads back exactly."""
    signature = "\n".join(f"  {line}" for line in approval.signature.strip().splitlines())
    return ("# Signed approval of a policy change: `changeops check` verifies it. Do not edit.\n"
            f"digest: {json.dumps(approval.digest)}\n"
            f"files: {json.dumps(approval.files)}\n"
            f"decision: {approval.decision}\n"
            f"approver: {json.dumps(approval.approver)}\n"
            f"time: {json.dumps(approval.time.isoformat())}\n"
            f"comment: {json.dumps(approval.comment, ensure_ascii=False)}\n"
            f"signature: |\n{signature}\n")


def sign_policy_diff(root: Path, diff: PolicyDiff, *, key: Path, policies: Policies, reject: bool = False,
                     comment: str = "", now: datetime | None = None) -> Path:
    """Write ``<root>/.changeops/policy-approvals/<digest>/<person>.yaml`` signed with ``key``."""
    if not diff.files:
        raise UsageError("this branch changes nothing under policies/: there is no policy change to approve")
    person = holder_of_key(key, policies)
    duty = policies.rules.policy_changes.duty
    if duty not in person.duties:
        raise UsageError(f"{person.id} does not hold the duty {duty} on the base ({policies.source})")
    moment = (now or datetime.now(UTC)).astimezone().replace(microsecond=0)
    decision: Literal["approve", "reject"] = "reject" if reject else "approve"
    text = statement(diff.digest, list(diff.files), decision, person.id, moment, comment)
    approval = PolicyApproval(digest=diff.digest, files=list(diff.files), decision=decision, approver=person.id,
                              time=moment, comment=comment, signature=sshsig.sign(text, key, NAMESPACE))
    target = root / diff.folder / f"{person.id}.yaml"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(render(approval), encoding="utf-8")
    return target


def holder_of_key(key: Path, policies: Policies) -> Person:
    """The person of ``policies`` whose public key matches the private ``key``."""
    if not key.is_file():
        raise UsageError(f"{key}: no such private key (give --key, or set git's user.signingkey)")
    public = sshsig.public_key_of(key)
    for person in policies.everyone():
        if any(" ".join(k.split()[:2]) == public for k in person.keys):
            return person
    raise UsageError(f"the key {key} belongs to nobody in policies/approvers.yml ({policies.source})")


@dataclass
class PolicyApprovalStatus:
    """The verdict on a policy diff: which approvals hold, and whether the quorum is met."""

    diff: PolicyDiff
    valid: list[str] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)
    met: bool = False


def judge_policy_approvals(root: Path, diff: PolicyDiff, policies: Policies,
                           excluded: set[str]) -> PolicyApprovalStatus:
    """Every approval file of ``diff`` under ``root``, judged by the base's ``policies``; ``excluded``: person ids
    of the pull request's authors and committers."""
    status = PolicyApprovalStatus(diff)
    for file in sorted((root / diff.folder).glob("*.yaml")):
        problem = _problem(file, diff, policies, excluded)
        if problem is None:
            status.valid.append(file.stem)
        else:
            status.refused.append(f"{file.stem}: {problem}")
    status.met = len(set(status.valid)) >= policies.rules.policy_changes.approvals
    return status


def _problem(file: Path, diff: PolicyDiff, policies: Policies, excluded: set[str]) -> str | None:
    approval = _read(file)
    if isinstance(approval, str):
        return approval
    person = policies.person(approval.approver)
    if person is None or approval.approver != file.stem:
        return f"{approval.approver} is not a person of the base's policies/approvers.yml (or the file is misnamed)"
    signers = [sshsig.Signer(p.id, " ".join(k.split()[:2])) for p in policies.everyone() for k in p.keys]
    revoked = [" ".join(r.key.split()[:2]) for r in policies.revoked_keys]
    if not sshsig.verify(approval.statement(), approval.signature, person.id, signers, revoked, NAMESPACE)[0]:
        return f"the signature is not {person.id}'s over this statement (or the key is revoked)"
    duty = policies.rules.policy_changes.duty
    if duty not in person.duties:
        return f"{person.id} does not hold the duty {duty} on the base"
    if person.id in excluded:
        return f"{person.id} authored or committed this pull request"
    if approval.digest != diff.digest:
        return "it approves another policy diff (the policies changed after it was signed)"
    if approval.decision == "reject":
        return f"rejected: {approval.comment or 'no comment'}"
    return None


def _read(file: Path) -> PolicyApproval | str:
    doc = load(file.read_bytes())
    if doc.problem is not None:
        return f"line {doc.problem.line}: {doc.problem.message}"
    try:
        return PolicyApproval.model_validate(doc.data)
    except ValidationError as err:
        first = err.errors()[0]
        return f"{'.'.join(str(p) for p in first['loc'])}: {first['msg']}"
