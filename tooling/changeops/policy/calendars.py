"""Public holidays and working days of a customer, from the `holidays` package."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from functools import lru_cache

import holidays


@lru_cache(maxsize=64)
def holiday_calendar(country: str, years: tuple[int, ...]) -> holidays.HolidayBase:
    """The country's public holidays for ``years`` (with China's adjusted working weekends)."""
    return holidays.country_holidays(country, years=list(years))


@lru_cache(maxsize=16384)
def is_working_day(day: date, country: str | None) -> bool:
    if country is None:
        return day.weekday() < 5
    return holiday_calendar(country, (day.year,)).is_working_day(day)


def working_days_between(after: date, before: date, country: str | None, enough: int | None = None) -> int:
    """Working days strictly after ``after`` and strictly before ``before`` (counting stops at ``enough``)."""
    count, day = 0, after + timedelta(days=1)
    while day < before and (enough is None or count < enough):
        count += is_working_day(day, country)
        day += timedelta(days=1)
    return count


def working_day_after(day: date, count: int, country: str | None) -> date:
    """The ``count``-th working day after ``day`` (a report due "5 working days after month end")."""
    found = 0
    while found < count:
        day += timedelta(days=1)
        found += is_working_day(day, country)
    return day


def holiday_blocks(country: str, years: range, names: list[str]) -> Iterator[tuple[date, date, str]]:
    """Runs of days off around the matching public holidays: (first day, last day, holiday name).

    A run extends over the weekends and adjusted days off next to the holiday, so the
    Spring Festival is the whole week the country is off, not only its statutory days.
    """
    calendar = holiday_calendar(country, tuple(years))
    days = sorted(d for d, name in calendar.items() if not names or any(n.lower() in name.lower() for n in names))
    last_end: date | None = None
    for day in days:
        if last_end is not None and day <= last_end:
            continue
        first, last = day, day
        while not is_working_day(first - timedelta(days=1), country):
            first -= timedelta(days=1)
        while not is_working_day(last + timedelta(days=1), country):
            last += timedelta(days=1)
        last_end = last
        yield first, last, calendar.get(day)
