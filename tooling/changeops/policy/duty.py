"""The duty roster (值班工程师名单 / 联系电话, service plan 1.1.2 and 2.3.7.2): ``policies/duty.yml``.

Per customer: the service desk's duty phone (值班电话), the ordinary 7×24 rotation (shifts
handed over at a fixed local time, a primary and a backup engineer each), the rosters of the
assurance periods (重要通信保障期, the freezes of ``freezes.yml``) and the escalation chain
(问题升级). People are named by their id in ``approvers.yml``; their phone numbers live here,
in the one file whose every value is published to the customer, and nowhere else.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated

import phonenumbers
from pydantic import AfterValidator, Field, model_validator
from pydantic_core import PydanticCustomError

from changeops.records.fields import Day, NonEmpty, Strict, Text
from changeops.records.fields import Severity as FaultLevel

FAULT_LEVELS: tuple[FaultLevel, ...] = ("critical", "major", "severe", "general")
PHONE_REGION = "CN"
"""Numbers written without a country code are read as Chinese: ``139 1234 5678``, ``024-2345 6789``."""


def _phone(value: str) -> str:
    try:
        number = phonenumbers.parse(value, PHONE_REGION)
    except phonenumbers.NumberParseException:
        number = None
    if number is None or not phonenumbers.is_valid_number(number):
        raise PydanticCustomError("phone", "'{value}' is not a phone number", {"value": value})
    return value


Phone = Annotated[str, AfterValidator(_phone)]


def phone_text(value: str) -> str:
    """A phone number as documents show it: national form for Chinese numbers, international otherwise."""
    number = phonenumbers.parse(value, PHONE_REGION)
    style = phonenumbers.PhoneNumberFormat.NATIONAL if number.country_code == 86 \
        else phonenumbers.PhoneNumberFormat.INTERNATIONAL
    return str(phonenumbers.format_number(number, style))


def phone_uri(value: str) -> str:
    """``tel:`` link of a phone number (E.164), for tapping on a phone."""
    number = phonenumbers.parse(value, PHONE_REGION)
    return f"tel:{phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)}"


def _clock(value: str) -> str:
    if not re.fullmatch(r"([01][0-9]|2[0-3]):[0-5][0-9]", value):
        raise PydanticCustomError("clock_time", "write a time of day as HH:MM, e.g. \"09:00\" (quoted)")
    return value


HandoverTime = Annotated[str, AfterValidator(_clock)]


class Pair(Strict):
    """One shift's engineers: the primary takes the calls, the backup stands in."""

    primary: NonEmpty
    backup: NonEmpty

    @model_validator(mode="after")
    def _two_people(self) -> Pair:
        if self.primary == self.backup:
            raise PydanticCustomError("duty_pair", "the primary and the backup of a shift are two people")
        return self


class Rotation(Strict):
    """A stretch of the ordinary rotation: shifts of ``shift_days`` from ``from``, cycling through ``cycle``."""

    start: Day = Field(alias="from", description="the first shift is handed over on this day")
    until: Day | None = Field(default=None, description="handed over to the next stretch on this day; "
                                                         "default: when the next stretch starts")
    shift_days: int = Field(default=7, ge=1, le=28)
    cycle: list[Pair] = Field(min_length=1, description="the shifts in turn, then again from the first")

    @model_validator(mode="after")
    def _forward(self) -> Rotation:
        if self.until is not None and self.until <= self.start:
            raise PydanticCustomError("duty_until", "`until` is after `from`")
        return self


class AssuranceDays(Strict):
    """Who is on duty on some days of an assurance period: on site at the customer, and remote."""

    start: Day = Field(alias="from")
    end: Day = Field(alias="to")
    on_site: list[NonEmpty] = Field(default_factory=list, description="at the customer's site (现场值守)")
    remote: list[NonEmpty] = Field(default_factory=list, description="on call, remote (远程值守)")
    note: Text | None = None

    @model_validator(mode="after")
    def _someone(self) -> AssuranceDays:
        if self.end < self.start:
            raise PydanticCustomError("duty_days", "`to` is not before `from`")
        if not self.on_site and not self.remote:
            raise PydanticCustomError("duty_nobody", "name the engineers on duty: `on_site`, `remote` or both")
        return self

    def holds(self, day: date) -> bool:
        return self.start <= day <= self.end


class AssuranceRoster(Strict):
    """The roster of one freeze of ``freezes.yml`` (by its name), with the customer's duty contact."""

    freeze: NonEmpty
    contact: NonEmpty = Field(description="the customer's duty contact (客户值班联系人), a person id")
    days: list[AssuranceDays] = Field(min_length=1)


class Delays(Strict):
    """Minutes after a fault is reported by which it goes to this level, per fault level (2.2.2)."""

    critical: int = Field(ge=0, le=7 * 24 * 60)
    major: int = Field(ge=0, le=7 * 24 * 60)
    severe: int = Field(ge=0, le=7 * 24 * 60)
    general: int = Field(ge=0, le=7 * 24 * 60)

    def of(self, level: FaultLevel) -> int:
        minutes: int = getattr(self, level)
        return minutes


class Escalation(Strict):
    """A level of the escalation chain above the duty engineer (level 1)."""

    person: NonEmpty
    role: Text
    after_minutes: Delays


class Coverage(Strict):
    """The days the roster is planned for: every one has its shifts, every assurance period in it its roster."""

    start: Day = Field(alias="from")
    end: Day = Field(alias="to")

    @model_validator(mode="after")
    def _forward(self) -> Coverage:
        if self.end < self.start:
            raise PydanticCustomError("duty_covers", "`to` is not before `from`")
        return self


class CustomerDuty(Strict):
    hotline: Phone = Field(description="the service desk's duty phone the customer calls (值班电话)")
    handover: HandoverTime = Field(description="local time (the customer's zone) at which shifts are handed over")
    covers: Coverage
    rotation: list[Rotation] = Field(min_length=1)
    assurance: list[AssuranceRoster] = Field(default_factory=list)
    escalation: list[Escalation] = Field(default_factory=list, description="level 2, level 3 ... in order")


class DutyFile(Strict):
    phones: dict[NonEmpty, Phone] = Field(default_factory=dict, description="phone number by person id")
    customers: dict[NonEmpty, CustomerDuty] = Field(default_factory=dict)

