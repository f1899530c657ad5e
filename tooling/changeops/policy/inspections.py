"""``policies/inspections.yml``: the monthly inspection schedule and the thresholds that judge it.

Service plan 2.3.3: every device in the maintenance scope is inspected once a calendar
month. The schedule says which hosts and groups of each customer that is, from which month
(and until which, when the contract ends); the thresholds turn what an inspection measured
into warnings and critical anomalies (:mod:`changeops.policy.inspection_judge`).
"""

from __future__ import annotations

from pydantic import Field, model_validator
from pydantic_core import PydanticCustomError

from changeops.records.fields import NonEmpty, Strict, TargetName
from changeops.records.inspection import Month


class Above(Strict):
    """A value is a warning at or above ``warning``, critical at or above ``critical``."""

    warning: float = Field(ge=0)
    critical: float = Field(ge=0)

    @model_validator(mode="after")
    def _ordered(self) -> Above:
        if self.warning > self.critical:
            raise PydanticCustomError("threshold_order", "`warning` must not be above `critical` (a value grows "
                                      "worse upwards)")
        return self


class Below(Strict):
    """A value is a warning at or below ``warning``, critical at or below ``critical``."""

    warning: float = Field(ge=0)
    critical: float = Field(ge=0)

    @model_validator(mode="after")
    def _ordered(self) -> Below:
        if self.warning < self.critical:
            raise PydanticCustomError("threshold_order", "`warning` must not be below `critical` (a value grows "
                                      "worse downwards)")
        return self


class Thresholds(Strict):
    """Warning and critical levels of every inspection check; ``null`` leaves a check unjudged."""

    temperature_celsius: Above | None = Field(default_factory=lambda: Above(warning=55, critical=70),
                                       description="absolute; a sensor's own yellow/red levels apply too")
    cpu_5min_percent: Above | None = Field(default_factory=lambda: Above(warning=70, critical=90))
    memory_used_percent: Above | None = Field(default_factory=lambda: Above(warning=80, critical=90))
    disk_used_percent: Above | None = Field(default_factory=lambda: Above(warning=80, critical=90))
    interface_errors: Above | None = Field(default_factory=lambda: Above(warning=100, critical=10000),
                                    description="CRC or input errors an interface has counted")
    interface_errors_increase: Above | None = Field(default_factory=lambda: Above(warning=10, critical=1000),
                                             description="CRC or input errors added since the previous inspection")
    neighbour_up_minutes: Below | None = Field(default_factory=lambda: Below(warning=60, critical=10),
                                        description="a routing neighbour up for less than this has flapped")
    log_severity: Below | None = Field(default_factory=lambda: Below(warning=3, critical=2),
                                description="log messages of this syslog severity or more severe (0 emergency .. "
                                            "7 debug) since the previous inspection")
    switchovers: Above | None = Field(default_factory=lambda: Above(warning=1, critical=2),
                               description="redundancy switchovers since the previous inspection")
    uptime_minutes: Below | None = Field(default_factory=lambda: Below(warning=7 * 24 * 60, critical=24 * 60),
                                  description="a device up for less than this reloaded unexpectedly")
    unit_ok_states: list[NonEmpty] = Field(default_factory=lambda: ["ok", "good", "normal"], min_length=1,
                                           description="states of a fan or power supply that are healthy "
                                                       "(compared without case)")
    unit_failed: NonEmpty = Field(default="critical", pattern="^(warning|critical)$",
                                  description="severity of a fan or power supply in another state")
    license_unauthorised: NonEmpty = Field(default="warning", pattern="^(warning|critical)$")


class ScheduleEntry(Strict):
    """Hosts and groups of one customer that must be inspected every calendar month."""

    customer: NonEmpty
    targets: list[TargetName] = Field(min_length=1, description="inventory hosts and/or groups")
    start: Month = Field(alias="from", description="the first month inspected, YYYY-MM")
    until: Month | None = Field(default=None, description="the last month (the contract's end); none: open-ended")

    @model_validator(mode="after")
    def _ordered(self) -> ScheduleEntry:
        if self.until is not None and self.until < self.start:
            raise PydanticCustomError("schedule_order", "`until` is before `from`")
        return self


class InspectionsFile(Strict):
    schedule: list[ScheduleEntry] = Field(default_factory=list)
    thresholds: Thresholds = Field(default_factory=Thresholds)
