"""Who is on duty when: the rotation's shifts, the assurance rosters and the escalation chain of ``duty.yml``.

Shifts are handed over at the customer's local wall-clock time, so a 09:00 handover stays at
09:00 across a daylight saving change (a shift is then 167 or 169 hours long).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from changeops.errors import UsageError
from changeops.policy.duty import AssuranceDays, AssuranceRoster, CustomerDuty, Escalation, Rotation
from changeops.policy.files import Policies
from changeops.policy.freezes import FreezePeriod, freeze_periods


@dataclass(frozen=True)
class Shift:
    """One shift of the ordinary rotation, with its times in the customer's zone."""

    customer: str
    start: datetime
    end: datetime
    primary: str
    backup: str


@dataclass(frozen=True)
class Stretch:
    """A stretch of the rotation with its end resolved: ``end`` is None when it goes on."""

    rotation: Rotation
    start: datetime
    end: datetime | None


@dataclass(frozen=True)
class AssuranceDuty:
    """The assurance roster of one freeze on one day."""

    freeze: str
    reason: str
    contact: str
    days: AssuranceDays


@dataclass(frozen=True)
class OnDuty:
    """Who to call for a customer at ``at``: the hotline, the shift, any assurance roster, the escalation chain."""

    customer: str
    at: datetime
    zone: ZoneInfo
    hotline: str
    shift: Shift | None
    next_shift: Shift | None
    assurance: tuple[AssuranceDuty, ...]
    escalation: tuple[Escalation, ...]


def handover_at(day: date, duty: CustomerDuty, zone: ZoneInfo) -> datetime:
    """The handover moment of ``day`` in the customer's zone."""
    return datetime.combine(day, time.fromisoformat(duty.handover), tzinfo=zone)


def stretches(duty: CustomerDuty, zone: ZoneInfo) -> list[Stretch]:
    """The rotation's stretches in file order; each ends at its ``until`` or else where the next starts."""
    found = []
    for index, rotation in enumerate(duty.rotation):
        following = duty.rotation[index + 1] if index + 1 < len(duty.rotation) else None
        end_day = rotation.until or (following.start if following is not None else None)
        found.append(Stretch(rotation, handover_at(rotation.start, duty, zone),
                             handover_at(end_day, duty, zone) if end_day is not None else None))
    return found


def shifts(customer: str, duty: CustomerDuty, zone: ZoneInfo, low: datetime, high: datetime) -> list[Shift]:
    """The shifts that overlap ``low`` to ``high``, in time order."""
    found = [s for stretch in stretches(duty, zone) for s in _shifts_of(customer, duty, stretch, zone, low, high)]
    return sorted(found, key=lambda s: s.start)


def _shifts_of(customer: str, duty: CustomerDuty, stretch: Stretch, zone: ZoneInfo, low: datetime,
               high: datetime) -> Iterator[Shift]:
    rotation = stretch.rotation
    days = rotation.shift_days
    # Jump to the shift holding ``low`` instead of walking from the stretch's start.
    skip = max(0, ((low.astimezone(zone).date() - rotation.start).days // days) - 1)
    number = skip
    while True:
        start = handover_at(rotation.start + timedelta(days=number * days), duty, zone)
        end = handover_at(rotation.start + timedelta(days=(number + 1) * days), duty, zone)
        if stretch.end is not None:
            if start >= stretch.end:
                return
            end = min(end, stretch.end)
        if start >= high:
            return
        if end > low:
            pair = rotation.cycle[number % len(rotation.cycle)]
            yield Shift(customer, start, end, pair.primary, pair.backup)
        number += 1


def shift_at(customer: str, duty: CustomerDuty, zone: ZoneInfo, at: datetime) -> Shift | None:
    """The shift on duty at ``at`` (a handover moment belongs to the shift that starts then)."""
    found = [s for s in shifts(customer, duty, zone, at, at + timedelta(seconds=1)) if s.start <= at < s.end]
    return found[-1] if found else None


def assurance_on(policies: Policies, customer: str, day: date) -> list[AssuranceDuty]:
    """The assurance rosters of the freezes on ``day`` (the customer's local day)."""
    duty = policies.duty.customers.get(customer)
    if duty is None:
        return []
    on_duty = []
    for period in freeze_periods(policies, customer, day, day):
        for roster in rosters_of(duty, period.name):
            on_duty += [AssuranceDuty(period.name, period.reason, roster.contact, days)
                        for days in roster.days if days.holds(day)]
    return on_duty


def rosters_of(duty: CustomerDuty, freeze: str) -> list[AssuranceRoster]:
    return [roster for roster in duty.assurance if roster.freeze == freeze]


def period_roster(policies: Policies, customer: str, period: FreezePeriod) -> list[AssuranceDuty]:
    """The roster entries of one occurrence of a freeze: those whose days touch the period's local days."""
    duty, zone = policies.duty.customers.get(customer), customer_zone(policies, customer)
    if duty is None:
        return []
    first, last = local_days(period, zone)
    return [AssuranceDuty(period.name, period.reason, roster.contact, days)
            for roster in rosters_of(duty, period.name) for days in roster.days
            if days.start <= last and first <= days.end]


def local_days(period: FreezePeriod, zone: ZoneInfo) -> tuple[date, date]:
    """The first and last local day a freeze period touches."""
    return period.start.astimezone(zone).date(), (period.end - timedelta(seconds=1)).astimezone(zone).date()


def customer_zone(policies: Policies, customer: str) -> ZoneInfo:
    info = policies.customers.get(customer)
    return ZoneInfo(info.zone if info else "UTC")


def on_duty(policies: Policies, customer: str, at: datetime) -> OnDuty | None:
    """Who to call for ``customer`` at ``at``; None when ``duty.yml`` has no roster for the customer."""
    duty = policies.duty.customers.get(customer)
    if duty is None:
        return None
    zone = customer_zone(policies, customer)
    shift = shift_at(customer, duty, zone, at)
    following = shift_at(customer, duty, zone, shift.end) if shift is not None else None
    if following is None:
        ahead = shifts(customer, duty, zone, at, at + timedelta(days=366))
        following = next((s for s in ahead if s.start > at), None)
    return OnDuty(customer, at, zone, duty.hotline, shift, following,
                  tuple(assurance_on(policies, customer, at.astimezone(zone).date())), tuple(duty.escalation))


def phone_of(policies: Policies, person: str) -> str | None:
    return policies.duty.phones.get(person)


def who_is_on_duty(policies: Policies, at: datetime, customer: str | None = None) -> list[OnDuty]:
    """Who to call at ``at`` for ``customer`` (default: every customer with a roster).

    A time without a UTC offset is read in each customer's zone.
    """
    if customer is not None and customer not in policies.duty.customers:
        known = ", ".join(policies.duty.customers) or "none"
        raise UsageError(f"policies/duty.yml has no roster for {customer!r} (rosters: {known})")
    found = []
    for name in [customer] if customer is not None else list(policies.duty.customers):
        moment = at if at.tzinfo is not None else at.replace(tzinfo=customer_zone(policies, name))
        duty = on_duty(policies, name, moment)
        if duty is not None:
            found.append(duty)
    return found
