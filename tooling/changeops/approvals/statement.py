"""An approval: a signed statement that one approver approves (or rejects) one plan digest."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Literal

from pydantic import Field, ValidationError

from changeops.records.fields import Aware, NonEmpty, Strict
from changeops.yaml12 import load

FOLDER = "approvals"


class Approval(Strict):
    change: NonEmpty
    digest: NonEmpty
    decision: Literal["approve", "reject"]
    approver: NonEmpty
    time: Aware
    comment: str = ""
    signature: NonEmpty = Field(description="ssh-keygen -Y sign output over the statement")

    def statement(self) -> bytes:
        """The exact bytes that are signed: every field but the signature, in a fixed form."""
        return signed_text(self.change, self.digest, self.decision, self.approver, self.time, self.comment)


def signed_text(change: str, digest: str, decision: str, approver: str, time: datetime, comment: str) -> bytes:
    lines = ["changeops-approval v1", f"change: {change}", f"digest: {digest}", f"decision: {decision}",
             f"approver: {approver}", f"time: {time.isoformat()}",
             f"comment: {json.dumps(comment, ensure_ascii=False)}"]
    return ("\n".join(lines) + "\n").encode()


def render(approval: Approval) -> str:
    """The approval file as written to ``changes/<ID>/approvals/<approver>.yaml``."""
    signature = "\n".join(f"  {line}" for line in approval.signature.strip().splitlines())
    return (f"# Signed approval: verify with `changeops approvals {approval.change}`. Do not edit: the\n"
            "# signature covers every field below.\n"
            f"change: {approval.change}\n"
            f"digest: {json.dumps(approval.digest)}\n"
            f"decision: {approval.decision}\n"
            f"approver: {approval.approver}\n"
            f"time: {json.dumps(approval.time.isoformat())}\n"
            f"comment: {json.dumps(approval.comment, ensure_ascii=False)}\n"
            f"signature: |\n{signature}\n")


def read_approval(path: Path) -> Approval | str:
    """The approval in ``path``, or why it cannot be read."""
    doc = load(path.read_bytes())
    if doc.problem is not None:
        return f"line {doc.problem.line}: {doc.problem.message}"
    try:
        return Approval.model_validate(doc.data)
    except ValidationError as err:
        first = err.errors()[0]
        return f"{'.'.join(str(p) for p in first['loc'])}: {first['msg']}"
