"""Who is on duty at a moment: shifts handed over at the customer's local time, assurance rosters, the chain."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from changeops.errors import UsageError
from changeops.policy.engine import read_policies
from changeops.policy.files import DirectorySource, Policies
from changeops.policy.rota import on_duty, who_is_on_duty
from policy_helpers import policies_dir
from test_policy_duty import ROSTER

SHANGHAI = ZoneInfo("Asia/Shanghai")
BERLIN = ZoneInfo("Europe/Berlin")


def policies(tmp_path: Path, duty: str = ROSTER, zone: str = "Asia/Shanghai") -> Policies:
    customers = f"customers:\n  lnpdn: {{name: LNPDN, zone: {zone}, language: zh, holidays: CN}}\n"
    loaded = read_policies(DirectorySource(policies_dir(tmp_path, duty=duty, customers=customers)))
    assert loaded.findings == [], loaded.findings
    return loaded


def primary_at(loaded: Policies, at: datetime) -> str | None:
    duty = on_duty(loaded, "lnpdn", at)
    assert duty is not None
    return duty.shift.primary if duty.shift is not None else None


def test_the_shift_changes_at_the_handover_in_the_customers_zone(tmp_path: Path) -> None:
    loaded = policies(tmp_path)
    # 2027-01-11 is the second Monday: wangpeng takes over at 09:00 Beijing time, 01:00 UTC.
    assert primary_at(loaded, datetime(2027, 1, 11, 8, 59, tzinfo=SHANGHAI)) == "zhaomin"
    assert primary_at(loaded, datetime(2027, 1, 11, 9, 0, tzinfo=SHANGHAI)) == "wangpeng"
    assert primary_at(loaded, datetime(2027, 1, 11, 0, 59, tzinfo=UTC)) == "zhaomin"
    assert primary_at(loaded, datetime(2027, 1, 11, 1, 0, tzinfo=UTC)) == "wangpeng"
    # The cycle comes round again: third week zhaomin, fourth wangpeng.
    assert primary_at(loaded, datetime(2027, 1, 20, 3, 0, tzinfo=SHANGHAI)) == "zhaomin"
    assert primary_at(loaded, datetime(2027, 1, 28, 3, 0, tzinfo=SHANGHAI)) == "wangpeng"


def test_the_shift_knows_its_end_and_the_next_engineer(tmp_path: Path) -> None:
    duty = on_duty(policies(tmp_path), "lnpdn", datetime(2027, 1, 6, 12, 0, tzinfo=SHANGHAI))
    assert duty is not None and duty.shift is not None and duty.next_shift is not None
    assert (duty.shift.primary, duty.shift.backup) == ("zhaomin", "wangpeng")
    assert duty.shift.end == datetime(2027, 1, 11, 9, 0, tzinfo=SHANGHAI)
    assert (duty.next_shift.primary, duty.next_shift.start) == ("wangpeng", duty.shift.end)
    assert duty.hotline == "024-2251 8800" and [e.person for e in duty.escalation] == ["lihaitao"]


def test_before_the_rotation_nobody_is_on_duty_but_the_next_shift_is_known(tmp_path: Path) -> None:
    duty = on_duty(policies(tmp_path), "lnpdn", datetime(2027, 1, 4, 8, 0, tzinfo=SHANGHAI))
    assert duty is not None and duty.shift is None
    assert duty.next_shift is not None and duty.next_shift.start == datetime(2027, 1, 4, 9, 0, tzinfo=SHANGHAI)


def test_a_handover_stays_at_local_time_across_daylight_saving(tmp_path: Path) -> None:
    # Berlin moves its clocks forward on 2027-03-28 (Sunday): the Monday 09:00 handover stays at 09:00 local,
    # 08:00 UTC before the change and 07:00 UTC after it; the shift across the change is 167 hours.
    loaded = policies(tmp_path, zone="Europe/Berlin")
    assert primary_at(loaded, datetime(2027, 3, 22, 7, 59, tzinfo=UTC)) == "zhaomin"
    assert primary_at(loaded, datetime(2027, 3, 22, 8, 0, tzinfo=UTC)) == "wangpeng"
    assert primary_at(loaded, datetime(2027, 3, 29, 6, 59, tzinfo=UTC)) == "wangpeng"
    assert primary_at(loaded, datetime(2027, 3, 29, 7, 0, tzinfo=UTC)) == "zhaomin"
    duty = on_duty(loaded, "lnpdn", datetime(2027, 3, 25, tzinfo=BERLIN))
    assert duty is not None and duty.shift is not None
    assert (duty.shift.end.astimezone(UTC) - duty.shift.start.astimezone(UTC)).total_seconds() == 167 * 3600


def test_a_zone_without_daylight_saving_hands_over_at_the_same_utc_time_all_year(tmp_path: Path) -> None:
    loaded = policies(tmp_path)
    for day in (datetime(2027, 1, 11), datetime(2027, 3, 22)):  # Mondays wangpeng takes over, before and after
        # Europe's daylight saving change
        assert primary_at(loaded, day.replace(hour=1, tzinfo=UTC)) == "wangpeng"
        assert primary_at(loaded, day.replace(hour=0, minute=59, tzinfo=UTC)) == "zhaomin"


def test_an_assurance_day_adds_its_roster_and_the_customers_contact(tmp_path: Path) -> None:
    loaded = policies(tmp_path)
    duty = on_duty(loaded, "lnpdn", datetime(2027, 1, 20, 23, 30, tzinfo=SHANGHAI))
    assert duty is not None
    [day] = duty.assurance
    assert (day.freeze, day.contact, day.days.on_site, day.days.remote) == (
        "Provincial Two Sessions", "chenjing", ["zhaomin"], ["wangpeng"])
    # The roster is by the customer's local day: 2027-01-24 23:30 in Beijing is still the freeze's last day,
    # though it is 15:30 UTC; 2027-01-25 00:30 Beijing (the 24th in UTC) is not.
    last = on_duty(loaded, "lnpdn", datetime(2027, 1, 24, 15, 30, tzinfo=UTC))
    after = on_duty(loaded, "lnpdn", datetime(2027, 1, 24, 16, 30, tzinfo=UTC))
    assert last is not None and after is not None
    assert [d.freeze for d in last.assurance] == ["Provincial Two Sessions"] and after.assurance == ()


def test_a_time_without_offset_is_read_in_the_customers_zone(tmp_path: Path) -> None:
    [duty] = who_is_on_duty(policies(tmp_path, zone="Europe/Berlin"), datetime(2027, 1, 11, 8, 59))
    assert duty.at == datetime(2027, 1, 11, 8, 59, tzinfo=BERLIN) and duty.shift is not None
    assert duty.shift.primary == "zhaomin"


def test_asking_for_a_customer_without_a_roster_is_a_usage_error(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="no roster for 'acme'"):
        who_is_on_duty(policies(tmp_path), datetime(2027, 1, 11, tzinfo=UTC), "acme")
