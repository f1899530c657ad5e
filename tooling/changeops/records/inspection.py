"""The section of a routine inspection record (巡检, service plan 2.3.3).

An inspection covers one calendar month (``period``), runs a checklist of read-only
checks, starts from the problems the customer raised since the last visit (2.3.3.4) and
compares with the previous inspection of the same scope.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Literal

from pydantic import AfterValidator, Field
from pydantic_core import PydanticCustomError

from changeops.records.fields import ChangeId, Day, NonEmpty, Strict, Text

Check = Literal["version", "inventory", "temperature", "power", "fans", "cpu", "memory", "interfaces", "logging",
                "ospf", "bgp", "redundancy", "license"]
CHECKS: tuple[Check, ...] = Check.__args__  # type: ignore[attr-defined]
"""Every check of the inspection playbook, in the order it runs them."""

MONTH = re.compile(r"^(?P<year>\d{4})-(?P<month>0[1-9]|1[0-2])$")


def _month(value: str) -> str:
    if not MONTH.match(value):
        raise PydanticCustomError("month", "write a calendar month as YYYY-MM, e.g. 2026-12")
    return value


Month = Annotated[str, AfterValidator(_month)]
"""A calendar month, ``YYYY-MM``."""


def month_start(month: str) -> date:
    """The first day of ``month`` (``YYYY-MM``)."""
    return date(int(month[:4]), int(month[5:7]), 1)


def month_of(day: date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def _unique(value: list[str]) -> list[str]:
    repeated = sorted({item for item in value if value.count(item) > 1})
    if repeated:
        raise PydanticCustomError("checklist_repeated", "the checklist names {checks} more than once",
                                  {"checks": ", ".join(repeated)})
    return value


class OpenProblem(Strict):
    """A problem raised since the last visit that this inspection looks into (2.3.3.4)."""

    text: Text = Field(description="what the customer or the last visit found")
    raised: Day | None = Field(default=None, description="when it was raised")
    link: NonEmpty | None = Field(default=None, description="the change ID or ticket that follows it up")


class Inspection(Strict):
    """What a routine inspection covers and where it starts from."""

    period: Month = Field(description="the calendar month it covers, YYYY-MM")
    checklist: Annotated[list[Check], AfterValidator(_unique)] = Field(
        default_factory=lambda: list(CHECKS), min_length=1, description="the checks to run; default: all")
    previous: ChangeId | None = Field(default=None, description="the inspection it compares with; default: the "
                                                                "latest earlier one of the same targets")
    open_problems: list[OpenProblem] = Field(default_factory=list,
                                             description="problems raised since the last inspection")
    optimisation: list[Text] = Field(default_factory=list,
                                     description="optimisation proposals for the customer to approve (2.3.3.7)")
