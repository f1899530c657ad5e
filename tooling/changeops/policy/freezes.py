"""Change freezes (重要通信保障期): no planned change may touch one; an emergency change may, with conditions."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from changeops.findings import Severity
from changeops.policy.calendars import holiday_blocks
from changeops.policy.context import PolicyContext, PolicyIssue, local, utc
from changeops.policy.files import Customer, Freeze, Policies
from changeops.records.fields import text_in
from changeops.records.model import ChangeBase


@dataclass(frozen=True)
class FreezePeriod:
    """One concrete freeze, in UTC."""

    name: str
    reason: str
    start: datetime
    end: datetime


def freeze_periods(policies: Policies, customer_id: str, first: date, last: date) -> list[FreezePeriod]:
    """The customer's freezes that overlap the days ``first`` to ``last``."""
    customer = policies.customers.get(customer_id)
    if customer is None:
        return []
    zone = ZoneInfo(customer.zone)
    low, high = utc(_midnight(first, zone)), utc(_midnight(last + timedelta(days=1), zone))
    periods: list[FreezePeriod] = []
    for year in range(first.year - 1, last.year + 1):
        periods += _periods_of_year(policies, customer_id, year)
    return sorted({p for p in periods if p.start < high and low < p.end}, key=lambda p: (p.start, p.name))


def _periods_of_year(policies: Policies, customer_id: str, year: int) -> list[FreezePeriod]:
    """The customer's freezes whose spans are computed from ``year`` (memoised on the policies)."""
    memo = policies.memo.setdefault("freezes", {})
    if (customer_id, year) not in memo:
        customer = policies.customers[customer_id]
        zone = ZoneInfo(customer.zone)
        memo[customer_id, year] = [
            FreezePeriod(freeze.name, text_in(freeze.reason, customer.language), start, end)
            for freeze in policies.freezes if not freeze.customers or customer_id in freeze.customers
            for start, end in _spans(freeze, customer, zone, range(year, year + 1))]
    periods: list[FreezePeriod] = memo[customer_id, year]
    return periods


def _spans(freeze: Freeze, customer: Customer, zone: ZoneInfo, years: range) -> Iterator[tuple[datetime, datetime]]:
    if freeze.once is not None:
        yield _bound(freeze.once.start, zone, 0), _bound(freeze.once.end, zone, 1)
    elif freeze.yearly is not None:
        for year in years:
            start = _day_of(year, freeze.yearly.start)
            end = _day_of(year + (freeze.yearly.end < freeze.yearly.start), freeze.yearly.end)
            yield utc(_midnight(start, zone)), utc(_midnight(end + timedelta(days=1), zone))
    elif freeze.holidays is not None:
        rule = freeze.holidays
        country = rule.calendar or customer.holidays
        if country is None:
            return
        for first, last, _ in holiday_blocks(country, range(years.start, years.stop + 1), rule.names):
            yield (utc(_midnight(first - timedelta(days=rule.before_days), zone)),
                   utc(_midnight(last + timedelta(days=rule.after_days + 1), zone)))


def _day_of(year: int, month_day: str) -> date:
    """MM-DD in ``year``; 02-29 is the 28th in a common year."""
    try:
        return date.fromisoformat(f"{year}-{month_day}")
    except ValueError:
        return date.fromisoformat(f"{year}-{month_day[:3]}28")


def _bound(value: date | datetime, zone: ZoneInfo, extra_days: int) -> datetime:
    """A datetime as it is; a date as the start of that day (``extra_days`` later) in the zone."""
    if isinstance(value, datetime):
        return utc(value)
    return utc(_midnight(value + timedelta(days=extra_days), zone))


def _midnight(day: date, zone: ZoneInfo) -> datetime:
    return datetime.combine(day, time(0, 0), tzinfo=zone)


def check_freeze(change: ChangeBase, ctx: PolicyContext) -> Iterator[PolicyIssue]:
    start, end = utc(change.window.start), utc(change.window.end)
    zone = ctx.zone(change)
    periods = [p for p in freeze_periods(ctx.policies, change.customer, start.astimezone(zone).date(),
                                         end.astimezone(zone).date()) if p.start < end and start < p.end]
    settings = ctx.policies.rules.freeze
    for period in periods:
        when = f"{local(period.start, zone)} – {local(period.end, zone)}"
        if change.model == "emergency":
            yield PolicyIssue(
                "policy-freeze-emergency", ("window", "start"),
                f"emergency change during the freeze '{period.name}' ({period.reason}, {when}): it needs the extra "
                f"approval of {settings.emergency_approval}, and a fault report (故障处理报告) is due within "
                f"{settings.fault_report_hours} h of the run",
                "get that approval before running; write the fault report after the repair", Severity.WARNING)
        else:
            yield PolicyIssue(
                "policy-freeze", ("window", "start"),
                f"the window touches the freeze '{period.name}' ({period.reason}, {when})",
                f"move the change after {local(period.end, zone)}; only `model: emergency` may run in a freeze")
