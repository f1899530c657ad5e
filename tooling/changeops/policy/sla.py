"""Service levels the customer signed (``policies/sla.yml``), and a fault's times measured against them.

Response limits by fault level come from the service plan: remote support (2.2.4.3: 5 / 5 / 10 / 60
minutes), on-site arrival (2.2.5.8), and a restoration limit the contract agrees per level (2.2.2 leaves
the number to the contract). On-site arrival depends on how far the faulty system is from the service
point: the level's limit holds in the service point's city (Shenyang: half an hour), and a site farther
away gets the limit of its distance band (within 100 km 1 hour, 300 km 3 hours, 500 km 5 hours).
Summaries are due a number of working days after the period ends (2.3.4.2), drills come a number of
times a year (2.3.8).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Annotated, Literal

from pydantic import Field, model_validator
from pydantic_core import PydanticCustomError

from changeops.findings import Finding, Severity
from changeops.records.fields import Severity as FaultLevel
from changeops.records.fields import Strict

if TYPE_CHECKING:
    from changeops.yaml12 import Document


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


class OnSiteBand(Strict):
    """Sites at most ``within_km`` from the service point: an engineer on site within ``minutes`` (2.2.5.8)."""

    within_km: float = Field(gt=0)
    minutes: int = Field(gt=0)


PLAN_BANDS = (OnSiteBand(within_km=100, minutes=60), OnSiteBand(within_km=300, minutes=180),
              OnSiteBand(within_km=500, minutes=300))


Distance = Annotated[float, Field(ge=0)]


class SlaFile(Strict):
    levels: dict[FaultLevel, LevelTargets] = Field(default_factory=lambda: dict(PLAN_LEVELS))
    city_km: float = Field(default=50, gt=0, description="a site at most this far from the service point is in "
                                                         "its city: the level's on_site_minutes hold there")
    on_site_bands: list[OnSiteBand] = Field(default_factory=lambda: list(PLAN_BANDS),
                                            description="beyond the city, by distance (2.2.5.8); none past the "
                                                        "last band: no on-site promise")
    site_km: dict[str, Distance] = Field(default_factory=dict, description="inventory site -> road distance in km "
                                                                           "from the nearest service point")
    summary_due_working_days: int = Field(default=5, gt=0, le=30, description="a period's service summary is due "
                                                                              "this many working days after it ends")
    drills_per_year: int = Field(default=2, gt=0, le=12, description="drills of each emergency plan a year")

    @model_validator(mode="after")
    def _bands_outward(self) -> SlaFile:
        reaches = [self.city_km, *(band.within_km for band in self.on_site_bands)]
        if reaches != sorted(set(reaches)):
            raise PydanticCustomError("sla_bands", "the on-site bands go outward: each `within_km` beyond the "
                                                   "last, and the first beyond `city_km`")
        return self

    def on_site_minutes(self, level_minutes: int | None, km: float | None) -> int | None:
        """The on-site limit at a site ``km`` from the service point (None: an unknown distance, the city).

        A level without an on-site promise has none anywhere, nor has a site beyond the last band."""
        if level_minutes is None or km is None or km <= self.city_km:
            return level_minutes
        band = next((b for b in self.on_site_bands if km <= b.within_km), None)
        return max(level_minutes, band.minutes) if band is not None else None


Verdict = Literal["met", "missed", "not_recorded", "no_target"]


@dataclass(frozen=True)
class Measure:
    """One promised time of a fault: what it took, what was promised (minutes), and whether it held."""

    name: str
    actual_minutes: float | None
    limit_minutes: float | None
    site: str = ""
    """On-site arrival: the site it was measured for, and how far it is (``dl-pop1 380 km``)."""

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
                   restored: datetime | None, sla: SlaFile, sites: tuple[str, ...] = (),
                   on_site_requested: datetime | None = None) -> tuple[Measure, Measure, Measure]:
    """Response, on-site arrival and restoration of a fault declared at ``declared``, against its level's limits.

    On-site arrival counts from the customer's request for it (2.2.5.8), when the report gives one, else from
    the declaration. ``sites`` are the inventory sites of the faulty devices: the on-site limit is that of the
    farthest one ``site_km`` knows (an engineer had to reach it); none known, the city's.
    An on-site visit that did not happen is not a miss: with no on-site time, the measure is "not recorded"
    only when the level promises one and service was not restored remotely first.
    """
    targets = sla.levels.get(level)
    known = sorted((sla.site_km[site], site) for site in set(sites) if site in sla.site_km)
    km, site = known[-1] if known else (None, "")
    on_site_limit = sla.on_site_minutes(targets.on_site_minutes if targets else None, km)
    if on_site is None and restored is not None:
        on_site_limit = None  # restored remotely: nobody had to go
    restore = targets.restore_hours * 60 if targets and targets.restore_hours else None
    return (Measure("response", _minutes(declared, responded), targets.response_minutes if targets else None),
            Measure("on_site", _minutes(on_site_requested or declared, on_site), on_site_limit,
                    f"{site} {km:g} km" if site else ""),
            Measure("restoration", _minutes(declared, restored), restore))


def site_findings(sla: SlaFile, sites: set[str], doc: Document | None) -> list[Finding]:
    """``site_km`` against the inventory's ``sites``: a distance for no site is an error (a misspelt site would
    count as in the city); once distances are given, a site without one is a warning."""
    if doc is None or doc.problem is not None:
        return []
    file = "policies/sla.yml"
    findings = [Finding(file, *doc.locate(("site_km", site), key=True), "sla-site", Severity.ERROR,
                        f"`{site}` is not a site of the inventory",
                        f"name a site the inventory's hosts are at ({', '.join(sorted(sites)) or 'none'})")
                for site in sla.site_km if site not in sites]
    if sla.site_km:
        findings += [Finding(file, *doc.locate(("site_km",), key=True), "sla-site", Severity.WARNING,
                             f"site {site} has no distance: its faults are held to the city's on-site limits",
                             f"add `{site}: <km>` (road distance from the nearest service point)")
                     for site in sorted(sites - sla.site_km.keys())]
    return findings
