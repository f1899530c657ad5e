"""The duty roster in the site's iCalendar feed, read back by icalendar (with dateutil) and by vobject."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import icalendar
import pytest
from changeops.publish.ics_feed import site_feed
from changeops.publish.snapshot import take_snapshot
from dateutil.rrule import rrulestr
from test_policy_duty import ROSTER

vobject = pytest.importorskip("vobject", reason="needs vobject (pip install -e '.[test]')")

LOW, HIGH = datetime(2026, 12, 1, tzinfo=UTC), datetime(2027, 12, 1, tzinfo=UTC)
COVERED_UNTIL = datetime(2027, 4, 1, 9, 0)
"""The roster covers 2027-01-04 to 2027-03-31: its last shift hands over on 2027-04-01 at 09:00."""


def feed(estate: Path, zone: str) -> bytes:
    (estate / "policies/duty.yml").write_text(ROSTER, encoding="utf-8")
    customers = estate / "policies/customers.yml"
    customers.write_text(customers.read_text(encoding="utf-8").replace("zone: Asia/Shanghai", f"zone: {zone}"),
                         encoding="utf-8")
    snap = take_snapshot(estate, date(2026, 12, 1))
    assert snap.policies.findings == []
    return site_feed(snap, [], LOW, HIGH, lambda record: f"/changes/{record.id}/")


def expected_shifts(zone: ZoneInfo) -> list[tuple[datetime, datetime, str]]:
    """Weekly shifts from Monday 2027-01-04 09:00 local, zhaomin first, the last one cut at the roster's end."""
    shifts, start, number = [], datetime(2027, 1, 4, 9, 0, tzinfo=zone), 0
    while start < COVERED_UNTIL.replace(tzinfo=zone):
        end = min(start.replace(tzinfo=None) + timedelta(days=7), COVERED_UNTIL).replace(tzinfo=zone)
        shifts.append((start.astimezone(UTC), end.astimezone(UTC), "赵敏" if number % 2 == 0 else "王鹏"))
        start, number = start.replace(tzinfo=None) + timedelta(days=7), number + 1
        start = start.replace(tzinfo=zone)
    return shifts


def icalendar_shifts(data: bytes, zone: ZoneInfo) -> list[tuple[datetime, datetime, str]]:
    shifts = []
    for event in icalendar.Calendar.from_ical(data).walk("VEVENT"):
        if "duty" not in str(event.get("categories").to_ical()) or "现场值守" in str(event["summary"]):
            continue
        start = event.decoded("dtstart")
        if "rrule" in event:
            starts = list(rrulestr(event["rrule"].to_ical().decode(), dtstart=start))
            length = event.decoded("duration")
        else:
            starts, length = [start], _wall(event.decoded("dtend"), zone) - _wall(start, zone)
        shifts += [_shift(s, length, zone, str(event["summary"])) for s in starts]
    return sorted(shifts)


def vobject_shifts(data: bytes, zone: ZoneInfo) -> list[tuple[datetime, datetime, str]]:
    shifts = []
    for event in vobject.readOne(data.decode("utf-8")).contents["vevent"]:
        if event.categories.value != ["duty"] or "现场值守" in event.summary.value:
            continue
        recurring = "rrule" in event.contents
        length = event.duration.value if recurring else \
            _wall(event.dtend.value, zone) - _wall(event.dtstart.value, zone)
        # vobject builds its time zones from a VTIMEZONE's RRULEs and misses transitions listed as RDATEs (as
        # icalendar writes them), so its wall times are read in the customer's zone (the TZID icalendar reads).
        for start in event.getrruleset(addRDate=True) if recurring else [event.dtstart.value]:
            shifts.append(_shift(start.replace(tzinfo=zone), length, zone, event.summary.value))
    return sorted(shifts)


def _wall(moment: datetime, zone: ZoneInfo) -> datetime:
    return moment.astimezone(zone).replace(tzinfo=None)


def _shift(start: datetime, nominal: timedelta, zone: ZoneInfo, summary: str) -> tuple[datetime, datetime, str]:
    """A shift in UTC; its length is nominal (days on the local clock), as RFC 5545 reads a DURATION."""
    end = (_wall(start, zone) + nominal).replace(tzinfo=zone)
    return start.astimezone(UTC), end.astimezone(UTC), _who(summary)


def _who(summary: str) -> str:
    return summary.split("] ", 1)[1].split(" ", 1)[0]


@pytest.mark.parametrize("zone", ["Asia/Shanghai", "Europe/Berlin"])
def test_both_parsers_expand_the_rotation_to_every_shift_at_local_handover_time(estate_root: Path,
                                                                                zone: str) -> None:
    data = feed(estate_root, zone)
    wanted = expected_shifts(ZoneInfo(zone))
    assert len(wanted) == 13 and wanted[1][2] == "王鹏"
    assert icalendar_shifts(data, ZoneInfo(zone)) == wanted
    assert vobject_shifts(data, ZoneInfo(zone)) == wanted
    if zone == "Europe/Berlin":  # 09:00 local is 08:00 UTC in winter and 07:00 UTC after 2027-03-28
        assert [s.hour for s, _, _ in wanted][10:] == [8, 8, 7]
        assert wanted[11][1] == datetime(2027, 3, 29, 7, 0, tzinfo=UTC)  # the shift across the change: 167 h


def test_the_rotation_recurs_instead_of_listing_every_week(estate_root: Path) -> None:
    events = icalendar.Calendar.from_ical(feed(estate_root, "Asia/Shanghai")).walk("VEVENT")
    rotation = [e for e in events if "duty" in str(e.get("categories").to_ical()) and "rrule" in e]
    assert [e["dtstart"].to_ical().decode() for e in rotation] == ["20270104T090000", "20270111T090000"]
    assert {e["dtstart"].params["TZID"] for e in rotation} == {"Asia/Shanghai"}
    assert "139 4001 2231" in str(rotation[0]["description"])  # the primary's phone


def test_an_assurance_roster_is_an_event_over_its_local_days(estate_root: Path) -> None:
    data = feed(estate_root, "Asia/Shanghai")
    [by_icalendar] = [e for e in icalendar.Calendar.from_ical(data).walk("VEVENT")
                      if "Provincial Two Sessions" in str(e["summary"])]
    assert by_icalendar.decoded("dtstart") == datetime(2027, 1, 17, 16, 0, tzinfo=UTC)
    assert by_icalendar.decoded("dtend") == datetime(2027, 1, 24, 16, 0, tzinfo=UTC)
    [by_vobject] = [e for e in vobject.readOne(data.decode("utf-8")).contents["vevent"]
                    if "Provincial Two Sessions" in e.summary.value]
    description: Any = by_vobject.description.value
    assert "现场值守: 赵敏 (Zhao Min) 139 4001 2231" in description
    assert "客户值班联系人: 陈静 (Chen Jing) +49 30 1234567" in description
