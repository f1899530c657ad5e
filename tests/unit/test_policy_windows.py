"""Maintenance windows: inside one occurrence, in the customer's zone, across DST switches."""

from __future__ import annotations

from pathlib import Path

from changeops.policy.windows import check_window
from policy_helpers import change, context, rules_of

BERLIN = """customers:
  lnpdn:
    name: Berlin test customer
    zone: Europe/Berlin
    language: en
    holidays: DE
"""
SUNDAY_NIGHT = """windows:
  - name: Sunday night
    customer: lnpdn
    weekly:
      - days: [sun]
        start: "01:00"
        end: "05:00"
"""


def test_change_inside_the_tuesday_window_passes(tmp_path: Path) -> None:
    assert rules_of(check_window(change(), context(tmp_path))) == []


def test_wednesday_is_outside_and_the_hint_names_the_next_window(tmp_path: Path) -> None:
    [issue] = check_window(change(window=("2026-12-09T00:30:00+08:00", "2026-12-09T04:30:00+08:00")),
                           context(tmp_path))
    assert issue.rule == "policy-window" and issue.path == ("window", "start")
    assert "Tue/Thu 00:00–06:00" in issue.message
    assert "2026-12-10 00:00 Thu" in issue.hint


def test_window_running_past_the_slot_end_is_outside(tmp_path: Path) -> None:
    late = change(window=("2026-12-08T03:00:00+08:00", "2026-12-08T06:30:00+08:00"))
    assert rules_of(check_window(late, context(tmp_path))) == ["policy-window"]


def test_same_instant_written_in_utc_is_judged_in_the_customer_zone(tmp_path: Path) -> None:
    # Mon 16:30 UTC is Tue 00:30 in Shanghai
    utc = change(window=("2026-12-07T16:30:00+00:00", "2026-12-07T20:30:00+00:00"))
    assert rules_of(check_window(utc, context(tmp_path))) == []


def test_site_window_applies_only_to_its_site(tmp_path: Path) -> None:
    sunday = ("2026-12-13T01:30:00+08:00", "2026-12-13T04:30:00+08:00")
    dalian = change("CHG-20261210-dl-edge-upgrade", window=sunday)
    shenyang = change(window=sunday)
    ctx = context(tmp_path)
    assert rules_of(check_window(dalian, ctx)) == []
    assert rules_of(check_window(shenyang, ctx)) == ["policy-window"]


def test_one_off_window_for_core_groups(tmp_path: Path) -> None:
    saturday_night = ("2026-12-26T23:00:00+08:00", "2026-12-27T03:00:00+08:00")
    ctx = context(tmp_path)
    assert rules_of(check_window(change(window=saturday_night), ctx)) == []
    edge = change("CHG-20261210-dl-edge-upgrade", window=saturday_night)
    assert rules_of(check_window(edge, ctx)) == ["policy-window"]


def test_maximum_length_per_type(tmp_path: Path) -> None:
    long = change(window=("2026-12-08T00:00:00+08:00", "2026-12-08T05:00:00+08:00"))
    [issue] = check_window(long, context(tmp_path))
    assert issue.rule == "policy-window-length" and "at most 4 h" in issue.message


def test_emergency_changes_need_no_window_but_keep_the_length_limit(tmp_path: Path) -> None:
    fix = change("CHG-20261120-dl-edge-route-fix")
    assert rules_of(check_window(fix, context(tmp_path))) == []


def test_spring_forward_window_is_three_hours_long(tmp_path: Path) -> None:
    ctx = context(tmp_path, customers=BERLIN, windows=SUNDAY_NIGHT)
    # 2027-03-28: 02:00 CET jumps to 03:00 CEST; the 01:00-05:00 slot lasts 3 real hours
    fits = change(window=("2027-03-28T01:00:00+01:00", "2027-03-28T05:00:00+02:00"))
    too_long = change(window=("2027-03-28T01:00:00+01:00", "2027-03-28T04:30:00+01:00"))
    assert rules_of(check_window(fits, ctx)) == []
    assert rules_of(check_window(too_long, ctx)) == ["policy-window"]


def test_fall_back_window_is_five_hours_long(tmp_path: Path) -> None:
    ctx = context(tmp_path, customers=BERLIN, windows=SUNDAY_NIGHT)
    # 2026-10-25: 03:00 CEST falls back to 02:00 CET; 01:00 CEST to 05:00 CET is 5 real hours
    fits = change(window=("2026-10-25T01:00:00+02:00", "2026-10-25T04:59:00+01:00"))
    assert rules_of(check_window(fits, ctx)) == ["policy-window-length"]  # 4 h 59 > 4 h, but inside the window


def test_length_is_measured_in_real_hours_across_dst(tmp_path: Path) -> None:
    ctx = context(tmp_path, customers=BERLIN, windows=SUNDAY_NIGHT)
    # five hours on the wall clock, four real hours
    wall_five = change(window=("2027-03-28T00:00:00+01:00", "2027-03-28T05:00:00+02:00"))
    assert "policy-window-length" not in rules_of(check_window(wall_five, ctx))


def test_window_given_by_zone_across_dst(tmp_path: Path) -> None:
    ctx = context(tmp_path, customers=BERLIN, windows=SUNDAY_NIGHT)
    data_window = {"zone": "Europe/Berlin", "start": "2027-03-28 01:30", "end": "2027-03-28 04:30"}
    by_zone = change(window=("2027-03-28T01:30:00+01:00", "2027-03-28T04:30:00+02:00"))
    same = by_zone.model_copy(update={"window": by_zone.window.model_validate(data_window)})
    assert rules_of(check_window(same, ctx)) == []
