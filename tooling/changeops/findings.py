"""Findings: what validation and policy checks report, one value per problem."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass
from enum import StrEnum
from typing import Any


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


@dataclass(frozen=True, order=True)
class Finding:
    """One problem in one file: where it is, which rule found it, and how to fix it."""

    file: str
    line: int
    column: int
    rule: str
    severity: Severity
    message: str
    hint: str

    def as_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["severity"] = self.severity.value
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Finding:
        return cls(**{**data, "severity": Severity(data["severity"])})


@dataclass(frozen=True)
class Report:
    """The outcome of checking a set of files."""

    checked: int
    findings: tuple[Finding, ...]

    @property
    def errors(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.severity is Severity.ERROR)

    @property
    def clean(self) -> bool:
        return not self.errors

    def as_json(self) -> dict[str, Any]:
        return {"checked": self.checked, "findings": [f.as_json() for f in self.findings]}


def sorted_findings(findings: Iterable[Finding]) -> tuple[Finding, ...]:
    return tuple(sorted(set(findings), key=lambda f: (f.file, f.line, f.column, f.rule, f.message)))
