"""Periods of the service summaries and whether a summary reached the customer in time."""

from __future__ import annotations

from datetime import date

from changeops.publish.service_figures import delivery, month_period, previous_quarter, quarter_key, quarter_period


def test_months_and_quarters() -> None:
    assert (month_period("2026-12").first, month_period("2026-12").last) == (date(2026, 12, 1), date(2026, 12, 31))
    assert month_period("2028-02").last == date(2028, 2, 29)
    assert quarter_key("2026-11") == "2026-Q4" and previous_quarter("2027-Q1") == "2026-Q4"
    q4 = quarter_period("2026-Q4")
    assert (q4.first, q4.last, q4.months()) == (date(2026, 10, 1), date(2026, 12, 31), ["2026-10", "2026-11",
                                                                                           "2026-12"])


def test_delivery_on_time_late_not_yet_and_overdue() -> None:
    due = date(2026, 12, 7)
    assert delivery(due, date(2026, 12, 7), date(2026, 12, 20)).status == "delivered_on_time"
    assert delivery(due, date(2026, 12, 8), date(2026, 12, 20)).status == "delivered_late"
    assert delivery(due, None, date(2026, 12, 7)).status == "not_delivered"
    assert delivery(due, None, date(2026, 12, 8)).status == "summary_overdue"
