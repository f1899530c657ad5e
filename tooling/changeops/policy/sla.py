"""Service levels the customer signed (``policies/sla.yml``), and a fault's times measured against them.

Response limits by fault level come from the service plan: remote support (2.2.4.3: 5 / 5 / 10 / 60
minutes), on-site arrival (2.2.5.8, for the customer's main site), and a restoration limit the contract
agrees per level (2.2.2 leaves the number to the contract). Summaries are due a number of working days
after the period ends (2.3.4.2), drills come a number of times a year (2.3.8).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from pydantic import Field

from changeops.records.fields import Severity as FaultLevel
from changeops.records.fields import Strict


class LevelTargets(Strict):
    """What the provider promises for a fault of one level; None: no promise (the plan says 不适用)."""

    response_minutes: int = Field(gt=0, description="remote support response after the fault is declared (2.2.4.3)")
    on_site_minutes: int | None = Field(default=None, gt=0, description="engineer on site after the fault is "
                                                                        "declared (2.2.5.8)")
    restore_hours: float | None = Field(default=None, gt=0, description="service restored after the fault is "
                                                                        "declared (agreed per level, 2.2.2)")


PLAN_LEVELS: dict[FaultLevel, LevelTargets] = {
    "critical": LevelTargets(response_minutes=5, on_site_minutes=30, restore_hours=4),
    "major": LevelTargets(response_minutes=5, on_site_minutes=30, restore_hours=4),
    "severe": LevelTargets(response_minutes=10, on_site_minutes=60, restore_hours=8),
    "general": LevelTargets(response_minutes=60),
}


class SlaFile(Strict):
    levels: dict[FaultLevel, LevelTargets] = Field(default_factory=lambda: dict(PLAN_LEVELS))
    summary_due_working_days: int = Field(default=5, gt=0, le=30, description="a period's service summary is due "
                                                                              "this many working days after it ends")
    drills_per_year: int = Field(default=2, gt=0, le=12, description="drills of each emergency plan a year")


Verdict = Literal["met", "missed", "not_recorded", "no_target"]


@dataclass(frozen=True)
class Measure:
    """One promised time of a fault: what it took, what was promised (minutes), and whether it held."""

    name: str
    actual_minutes: float | None
    limit_minutes: float | None

    @property
    def verdict(self) -> Verdict:
        if self.limit_minutes is None:
            return "no_target"
        if self.actual_minutes is None:
            return "not_recorded"
        return "met" if self.actual_minutes <= self.limit_minutes else "missed"


def _minutes(start: datetime, end: datetime | None) -> float | None:
    """Minutes from ``start`` to ``end``; work begun before the fault was declared took none."""
    return None if end is None else max(0.0, round((end - start).total_seconds() / 60, 1))


def fault_measures(level: FaultLevel, declared: datetime, *, responded: datetime | None, on_site: datetime | None,
                   restored: datetime | None, sla: SlaFile) -> tuple[Measure, Measure, Measure]:
    """Response, on-site arrival and restoration of a fault declared at ``declared``, against its level's limits.

    An on-site visit that did not happen is not a miss: with no on-site time, the measure is "not recorded"
    only when the level promises one and service was not restored remotely first.
    """
    targets = sla.levels.get(level)
    on_site_limit = targets.on_site_minutes if targets else None
    if on_site is None and restored is not None:
        on_site_limit = None  # restored remotely: nobody had to go
    restore = targets.restore_hours * 60 if targets and targets.restore_hours else None
    return (Measure("response", _minutes(declared, responded), targets.response_minutes if targets else None),
            Measure("on_site", _minutes(declared, on_site), on_site_limit),
            Measure("restoration", _minutes(declared, restored), restore))
