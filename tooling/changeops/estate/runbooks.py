"""Runbooks and emergency plans: Markdown files whose YAML front matter says what they are."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Literal

from pydantic import Field, ValidationError, model_validator

from changeops.estate.layout import Estate
from changeops.findings import Finding, Severity
from changeops.records.fields import NonEmpty, Strict, Text
from changeops.records.model import Objectives
from changeops.records.schema_findings import schema_findings
from changeops.yaml12 import load

FENCE = "---"


class Role(Strict):
    role: NonEmpty
    who: NonEmpty


class RunbookMeta(Strict):
    """The front matter of a runbook; an emergency plan (应急恢复预案) also states objectives and roles."""

    title: NonEmpty
    title_zh: NonEmpty | None = None
    kind: Literal["runbook", "emergency-plan"]
    customer: NonEmpty
    owner: NonEmpty
    last_reviewed: date
    scope: Text
    playbooks: list[NonEmpty] = Field(default_factory=list)
    objectives: Objectives | None = None
    roles: list[Role] = Field(default_factory=list)

    @model_validator(mode="after")
    def _plan_complete(self) -> RunbookMeta:
        if self.kind == "emergency-plan" and (self.objectives is None or not self.roles):
            raise ValueError("an emergency plan states `objectives` (rto_minutes, rpo_minutes) and `roles`")
        return self


@dataclass(frozen=True)
class Runbook:
    path: Path
    meta: RunbookMeta | None
    body: str


def read_runbook(estate: Estate, path: Path) -> tuple[Runbook, list[Finding]]:
    """The runbook at ``path`` and the problems of its front matter."""
    file = estate.relative(path)
    text = path.read_bytes()
    front, body, offset = _split(text)
    if front is None:
        return Runbook(path, None, text.decode("utf-8", "replace")), [Finding(
            file, 1, 1, "runbook-front-matter", Severity.ERROR, "the runbook has no YAML front matter",
            "start the file with '---', the fields title, kind, customer, owner, last_reviewed, scope, and '---'")]
    doc = load(front)
    if doc.problem is not None:
        p = doc.problem
        return Runbook(path, None, body), [Finding(file, p.line + offset, p.column, p.rule, Severity.ERROR,
                                                   p.message, p.hint)]
    try:
        return Runbook(path, RunbookMeta.model_validate(doc.data), body), []
    except ValidationError as err:
        shifted = [_shift(f, offset) for f in schema_findings(err, doc, file, RunbookMeta)]
        return Runbook(path, None, body), shifted


def _split(raw: bytes) -> tuple[bytes | None, str, int]:
    """Front matter bytes, the Markdown body, and how many lines precede the front matter."""
    lines = raw.splitlines(keepends=True)
    if not lines or lines[0].strip() != FENCE.encode():
        return None, "", 0
    for index, line in enumerate(lines[1:], start=1):
        if line.strip() == FENCE.encode():
            return b"".join(lines[1:index]), b"".join(lines[index + 1:]).decode("utf-8", "replace"), 1
    return None, "", 0


def _shift(finding: Finding, offset: int) -> Finding:
    return Finding(finding.file, finding.line + offset, finding.column, finding.rule.replace("schema", "runbook"),
                   finding.severity, finding.message, finding.hint)
