"""The one error tree. Only the CLI prints these and maps them to exit codes."""

from __future__ import annotations

from pathlib import Path


class ChangeopsError(Exception):
    """Something the caller cannot go on from. Exit code 2 unless a subclass says otherwise."""

    exit_code = 2


class UsageError(ChangeopsError):
    """The command was asked for something it cannot do (bad option, unknown ID)."""


class EstateError(ChangeopsError):
    """The repository is not laid out as changeops expects."""

    def __init__(self, root: Path, problem: str) -> None:
        super().__init__(problem)
        self.root = root
        self.problem = problem

    def __str__(self) -> str:
        return f"{self.root}: {self.problem}"


class RecordExistsError(ChangeopsError):
    def __init__(self, path: Path) -> None:
        super().__init__(str(path))
        self.path = path

    def __str__(self) -> str:
        return f"{self.path} already exists; choose another ID or edit the existing record"
