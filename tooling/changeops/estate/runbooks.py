"""Runbooks and emergency plans: Markdown files whose YAML front matter says what they are.

A runbook is read in more than one language this way: ``runbooks/<name>.md`` holds the front matter and the
body in the language its ``language`` field names (English by default), and ``runbooks/<name>.<zh|en>.md``
holds the same body in another language, without front matter and with the same numbered ``## N.`` sections.
An emergency plan (应急恢复预案) is read by the customer's duty staff and by English readers alike: it has a
body in both languages, and each body has its recovery steps.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Literal

from pydantic import Field, ValidationError, model_validator

from changeops.estate.layout import RUNBOOK_LANGUAGES, Estate, runbook_translation
from changeops.findings import Finding, Severity
from changeops.records.fields import NonEmpty, Strict, Text
from changeops.records.model import Objectives
from changeops.records.schema_findings import schema_findings
from changeops.yaml12 import Document, load

FENCE = "---"
_SECTION = re.compile(r"^## +(?:(\d+)\.?\s)?", re.MULTILINE)
_RECOVERY = re.compile(r"^## [^\n]*(?:recovery steps|恢复步骤)", re.IGNORECASE | re.MULTILINE)


class Role(Strict):
    role: NonEmpty
    who: NonEmpty


class RunbookMeta(Strict):
    """The front matter of a runbook; an emergency plan (应急恢复预案) also states objectives and roles."""

    title: NonEmpty
    title_zh: NonEmpty | None = None
    kind: Literal["runbook", "emergency-plan"]
    language: Literal["zh", "en"] = Field(default="en", description="the language of this file's body; "
                                          "<name>.<language>.md beside it holds the body in another")
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
    bodies: Mapping[str, str] = field(default_factory=dict, hash=False)
    """The body in each language it is written in, this file's own included."""

    def body_in(self, language: str) -> str:
        """The body in ``language`` when the runbook is written in it, else the body of its own file."""
        return self.bodies.get(language, self.body)


def read_runbook(estate: Estate, path: Path) -> tuple[Runbook, list[Finding]]:
    """The runbook at ``path`` with its bodies in other languages, and the problems of its front matter and of
    those bodies."""
    runbook, findings = _read_file(estate, path)
    if runbook.meta is None:
        return runbook, findings
    bodies: dict[str, str] = {runbook.meta.language: runbook.body}
    for language in RUNBOOK_LANGUAGES:
        translation = runbook_translation(path, language)
        if language != runbook.meta.language and translation.is_file():
            bodies[language], problems = _read_translation(estate, translation, runbook)
            findings += problems
    findings += _missing_languages(estate, path, runbook, bodies)
    findings += _missing_recovery(estate, path, runbook, bodies)
    return replace(runbook, bodies=bodies), findings


def _read_file(estate: Estate, path: Path) -> tuple[Runbook, list[Finding]]:
    file = estate.relative(path)
    text = path.read_bytes()
    front, body, offset = _split(text)
    if front is None:
        return Runbook(path, None, text.decode("utf-8", "replace")), [_no_front_matter(estate, path)]
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


def _no_front_matter(estate: Estate, path: Path) -> Finding:
    file = estate.relative(path)
    for language in RUNBOOK_LANGUAGES:
        if path.name.endswith(f".{language}.md"):
            main = path.with_name(path.name.removesuffix(f".{language}.md") + ".md")
            if main.is_file():
                return Finding(file, 1, 1, "runbook-translation", Severity.ERROR,
                               f"the body in {language} of {estate.relative(main)}, not a runbook of its own",
                               f"name {main.name}, the runbook, where a runbook is meant")
            return Finding(file, 1, 1, "runbook-translation", Severity.ERROR,
                           f"a body in {language} of {estate.relative(main)}, which does not exist",
                           f"rename it to {main.name} and give it front matter, or write {main.name} (front matter "
                           f"and the body in another language) beside it")
    return Finding(file, 1, 1, "runbook-front-matter", Severity.ERROR, "the runbook has no YAML front matter",
                   "start the file with '---', the fields title, kind, customer, owner, last_reviewed, scope, "
                   "and '---'")


def _read_translation(estate: Estate, path: Path, runbook: Runbook) -> tuple[str, list[Finding]]:
    """The body in ``path`` and how its structure differs from the runbook's own body."""
    file, main = estate.relative(path), estate.relative(runbook.path)
    body = path.read_bytes().decode("utf-8", "replace")
    if body.split("\n", 1)[0].strip() == FENCE:
        return body, [Finding(file, 1, 1, "runbook-translation", Severity.ERROR,
                              f"front matter in a body in another language: the runbook's front matter is {main}'s",
                              f"remove the front matter; {main} holds it for every language")]
    ours, theirs = _numbered_sections(body), _numbered_sections(runbook.body)
    if [n for n, _ in ours] == [n for n, _ in theirs]:
        return body, []
    at = next((line for (n, line), (m, _) in zip(ours, theirs, strict=False) if n != m),
              ours[len(theirs)][1] if len(ours) > len(theirs) else _last_line(body))
    return body, [Finding(file, at, 1, "runbook-sections", Severity.ERROR,
                          f"its numbered sections ({_numbers(ours)}) are not those of {main} ({_numbers(theirs)})",
                          f"a body in another language has the same '## N.' sections as {main}: add, remove or "
                          f"renumber sections so that they match")]


def _missing_languages(estate: Estate, path: Path, runbook: Runbook, bodies: Mapping[str, str]) -> list[Finding]:
    meta = runbook.meta
    missing = [language for language in RUNBOOK_LANGUAGES if language not in bodies]
    if meta is None or meta.kind != "emergency-plan" or not missing:
        return []
    line, column = _front_matter_position(path, "language" if "language" in meta.model_fields_set else "kind")
    return [Finding(estate.relative(path), line, column, "runbook-language", Severity.ERROR,
                    f"the emergency plan has no body in {language}: the customer's duty staff and English readers "
                    f"both work from it",
                    f"write its body in {language} in {runbook_translation(path, language).name}: the same "
                    f"'## N.' sections as this file, Markdown without front matter")
            for language in missing]


def _missing_recovery(estate: Estate, path: Path, runbook: Runbook, bodies: Mapping[str, str]) -> list[Finding]:
    if runbook.meta is None or runbook.meta.kind != "emergency-plan":
        return []
    own = runbook.meta.language
    return [Finding(estate.relative(path if language == own else runbook_translation(path, language)),
                    1 if language != own else _front_matter_position(path, "kind")[0], 1, "runbook-recovery",
                    Severity.ERROR, f"the emergency plan's body in {language} has no recovery steps",
                    "add a section '## N. 恢复步骤' (Chinese) or '## N. Recovery steps' (English): the plan's page "
                    "opens on it")
            for language, body in bodies.items() if not _RECOVERY.search(body)]


def _numbered_sections(body: str) -> list[tuple[str, int]]:
    """The number of every numbered ``## N.`` section of ``body`` and its line."""
    return [(m.group(1), body.count("\n", 0, m.start()) + 1) for m in _SECTION.finditer(body) if m.group(1)]


def _numbers(sections: list[tuple[str, int]]) -> str:
    return ", ".join(n for n, _ in sections) or "none"


def _last_line(text: str) -> int:
    return max(1, text.count("\n"))


def _front_matter_position(path: Path, key: str) -> tuple[int, int]:
    """Line and column of ``key`` in the front matter of the runbook at ``path``."""
    front, _, offset = _split(path.read_bytes())
    doc: Document = load(front or b"")
    line, column = doc.locate((key,), key=True)
    return line + offset, column
