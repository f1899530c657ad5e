"""Freezes: yearly, one-off and holiday periods in the customer's zone; emergencies may pass with conditions."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from changeops.findings import Severity
from changeops.policy.freezes import check_freeze, freeze_periods
from policy_helpers import change, context, rules_of


def test_flood_season_freezes_a_planned_change(tmp_path: Path) -> None:
    [issue] = check_freeze(change(window=("2027-07-27T00:30:00+08:00", "2027-07-27T04:30:00+08:00")),
                           context(tmp_path))
    assert issue.rule == "policy-freeze" and "Flood season" in issue.message
    assert "2027-08-21 00:00" in issue.hint


def test_emergency_in_a_freeze_is_a_warning_naming_approval_and_report(tmp_path: Path) -> None:
    fix = change("CHG-20261120-dl-edge-route-fix", window=("2027-07-27T02:30:00+08:00", "2027-07-27T04:00:00+08:00"))
    [issue] = check_freeze(fix, context(tmp_path))
    assert issue.rule == "policy-freeze-emergency" and issue.severity is Severity.WARNING
    assert "emergency approver" in issue.message and "fault report" in issue.message and "24 h" in issue.message


def test_national_day_freeze_starts_two_days_before_the_holiday_block(tmp_path: Path) -> None:
    ctx = context(tmp_path)
    tuesday_before = change(window=("2026-09-29T00:30:00+08:00", "2026-09-29T04:30:00+08:00"))
    thursday_after = change(window=("2026-10-08T00:30:00+08:00", "2026-10-08T04:30:00+08:00"))
    assert rules_of(check_freeze(tuesday_before, ctx)) == ["policy-freeze"]
    assert rules_of(check_freeze(thursday_after, ctx)) == []


def test_spring_festival_covers_the_whole_week_off(tmp_path: Path) -> None:
    ctx = context(tmp_path)
    periods = freeze_periods(ctx.policies, "lnpdn", date(2026, 2, 1), date(2026, 2, 28))
    [festival] = [p for p in periods if p.name.startswith("Spring")]
    # days off 2026-02-15..23 (weekend and adjusted days included), 3 days before, 1 after, in +08:00
    assert festival.start.isoformat() == "2026-02-11T16:00:00+00:00"
    assert festival.end.isoformat() == "2026-02-24T16:00:00+00:00"


def test_one_off_dates_are_whole_days_in_the_customer_zone(tmp_path: Path) -> None:
    ctx = context(tmp_path)
    last_evening = change(window=("2027-01-24T22:00:00+08:00", "2027-01-24T23:30:00+08:00"))
    next_morning = change(window=("2027-01-25T00:00:00+08:00", "2027-01-25T04:00:00+08:00"))
    assert rules_of(check_freeze(last_evening, ctx)) == ["policy-freeze"]
    assert rules_of(check_freeze(next_morning, ctx)) == []


def test_freeze_for_another_customer_does_not_apply(tmp_path: Path) -> None:
    other = """freezes:
  - name: Someone else's event
    reason: not ours
    customers: [lnpdn]
    once: {start: 2026-12-01, end: 2026-12-31}
"""
    assert rules_of(check_freeze(change(), context(tmp_path, freezes=other))) == ["policy-freeze"]
    ours_only = other.replace("customers: [lnpdn]", "customers: []").replace("2026-12-01", "2026-12-09")
    assert rules_of(check_freeze(change(), context(tmp_path / "b", freezes=ours_only))) == []
