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


class SecretLeakError(ChangeopsError):
    """A known secret would have reached the repository; nothing was committed."""

    exit_code = 1

    def __init__(self, run_id: str, files: list[str], findings: list[str] | None = None,
                 kept: Path | None = None) -> None:
        super().__init__(run_id)
        self.run_id, self.files, self.findings, self.kept = run_id, files, findings or [], kept

    def __str__(self) -> str:
        where = f"moved to {self.kept}" if self.kept else "left where it was"
        lines = "".join(f"\n  {finding}" for finding in self.findings)  # file:line: rule: hint, never a value
        return (f"run {self.run_id}: a secret is in {', '.join(self.files)}; nothing was committed "
                f"(the unmasked record is {where}, outside git){lines}")
