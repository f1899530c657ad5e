"""Errors of the device lab; rendered by the CLI like every changeops error."""

from __future__ import annotations

from pathlib import Path

from changeops.errors import ChangeopsError


class LabError(ChangeopsError):
    """The lab could not be started, reached or stopped."""

    def __init__(self, state_dir: Path, problem: str, hint: str = "") -> None:
        super().__init__(problem)
        self.state_dir = state_dir
        self.problem = problem
        self.hint = hint

    def __str__(self) -> str:
        text = f"lab {self.state_dir}: {self.problem}"
        return f"{text} ({self.hint})" if self.hint else text


class UnknownLabHost(LabError):
    """A host name the running lab does not serve."""

    def __init__(self, state_dir: Path, host: str, known: list[str]) -> None:
        shown = ", ".join(known[:8]) + (" ..." if len(known) > 8 else "")
        super().__init__(state_dir, f"no lab device or host named `{host}`", f"known: {shown}")
        self.host = host
