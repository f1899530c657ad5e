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


class BundleError(ChangeopsError):
    """A bundle could not be sealed: where, and why."""

    def __init__(self, dest: Path, problem: str) -> None:
        super().__init__(problem)
        self.dest, self.problem = dest, problem

    def __str__(self) -> str:
        return f"cannot build the bundle at {self.dest}: {self.problem}"


class GitError(ChangeopsError):
    """git could not do what was asked."""

    def __init__(self, action: str, detail: str) -> None:
        super().__init__(f"{action}: {detail}")
        self.action, self.detail = action, detail

    def __str__(self) -> str:
        return f"git {self.action} failed: {self.detail.strip().splitlines()[-1] if self.detail.strip() else ''}"


class SigningError(ChangeopsError):
    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail

    def __str__(self) -> str:
        return f"cannot sign the approval: {self.detail}"


class SummaryProblem(ValueError):
    """A summary file that is not a valid run summary: the path and why."""

    def __init__(self, path: Path, problem: str) -> None:
        super().__init__(f"{path}: {problem}")
        self.path, self.problem = path, problem
