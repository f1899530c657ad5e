"""Faults a lab device can be told to show while the lab runs.

- ``refuse-command REGEX``: a matching command is answered with an IOS error
  (``% Invalid input detected at '^' marker.`` unless another message is given);
- ``unresponsive``: the device accepts TCP but never completes a login, and
  open sessions stop answering;
- ``slow SECONDS``: every answer is delayed;
- ``bad-reload``: after a reload the device comes back on its old version;
- ``clear``: all of the above are lifted.
"""

from __future__ import annotations

import asyncio
import re
from dataclasses import dataclass, field

FAULT_KINDS = ("refuse-command", "unresponsive", "slow", "bad-reload", "clear")
DEFAULT_REFUSAL = "% Invalid input detected at '^' marker."


class FaultError(ValueError):
    """A fault request that cannot be applied (unknown kind, bad regex, bad number)."""


@dataclass
class Refusal:
    pattern: re.Pattern[str]
    message: str


@dataclass
class Faults:
    """The faults in force on one device."""

    refusals: list[Refusal] = field(default_factory=list)
    slow_seconds: float = 0.0
    bad_reload: bool = False
    answering: asyncio.Event = field(default_factory=asyncio.Event)

    def __post_init__(self) -> None:
        self.answering.set()

    @property
    def unresponsive(self) -> bool:
        return not self.answering.is_set()

    def refusal_for(self, command: str) -> str | None:
        """The error message for ``command`` if a refuse-command fault matches it."""
        return next((r.message for r in self.refusals if r.pattern.search(command)), None)

    def apply(self, kind: str, argument: str | None = None, message: str | None = None) -> None:
        """Set (or with ``clear`` lift) a fault; raises FaultError for a request that makes no sense."""
        if kind == "refuse-command":
            self.refusals.append(Refusal(_regex(argument), message or DEFAULT_REFUSAL))
        elif kind == "unresponsive":
            self.answering.clear()
        elif kind == "slow":
            self.slow_seconds = _seconds(argument)
        elif kind == "bad-reload":
            self.bad_reload = True
        elif kind == "clear":
            self.refusals.clear()
            self.slow_seconds, self.bad_reload = 0.0, False
            self.answering.set()
        else:
            raise FaultError(f"unknown fault `{kind}`; choose one of {', '.join(FAULT_KINDS)}")

    def describe(self) -> list[str]:
        shown = [f"refuse-command {r.pattern.pattern!r}" for r in self.refusals]
        shown += ["unresponsive"] if self.unresponsive else []
        shown += [f"slow {self.slow_seconds:g}s"] if self.slow_seconds else []
        return shown + (["bad-reload"] if self.bad_reload else [])


def _regex(argument: str | None) -> re.Pattern[str]:
    if not argument:
        raise FaultError("refuse-command needs a regular expression for the commands to refuse")
    try:
        return re.compile(argument)
    except re.error as err:
        raise FaultError(f"refuse-command: `{argument}` is not a regular expression: {err}") from err


def _seconds(argument: str | None) -> float:
    try:
        seconds = float(argument or "")
    except ValueError as err:
        raise FaultError(f"slow needs a number of seconds, not `{argument}`") from err
    if not 0 <= seconds <= 3600:
        raise FaultError(f"slow: {seconds} s is outside 0..3600")
    return seconds
