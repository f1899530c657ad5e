"""Working days after a date: when a service summary is due (2.3.4.2), by the customer's holiday calendar."""

from __future__ import annotations

from datetime import date

from changeops.policy.calendars import working_day_after


def test_november_summary_is_due_on_the_fifth_working_day_of_december() -> None:
    # Tue 1, Wed 2, Thu 3, Fri 4, (weekend), Mon 7
    assert working_day_after(date(2026, 11, 30), 5, "CN") == date(2026, 12, 7)


def test_golden_week_does_not_count_and_the_worked_saturday_does() -> None:
    # 1–7 October are days off; Thu 8, Fri 9, Sat 10 (worked in China), Mon 12, Tue 13
    assert working_day_after(date(2026, 9, 30), 5, "CN") == date(2026, 10, 13)


def test_new_year_is_skipped_for_the_december_and_quarterly_summary() -> None:
    # 1 January is a holiday; Mon 4 to Fri 8
    assert working_day_after(date(2026, 12, 31), 5, "CN") == date(2027, 1, 8)


def test_without_a_holiday_calendar_only_weekends_are_skipped() -> None:
    assert working_day_after(date(2026, 10, 2), 1, None) == date(2026, 10, 5)  # Friday, then Monday
    assert working_day_after(date(2026, 10, 2), 5, None) == date(2026, 10, 9)
