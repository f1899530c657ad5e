"""The iCalendar feed read back by two independent parsers (icalendar, vobject): a title cannot add an event."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import icalendar
import pytest
from changeops.policy.calendar_feed import Entry, to_ics

vobject = pytest.importorskip("vobject", reason="needs vobject (pip install -e '.[test]')")

SHANGHAI = timezone(timedelta(hours=8))
FORGE = "\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nUID:forged@changeops\r\nSUMMARY:forged\r\nDTSTART:20261209T000000Z"
TITLES = {
    "CHG-20261208-a": f"CHG-20261208-a patch; a, b \\ c{FORGE}",
    "CHG-20261209-b": "CHG-20261209-b lone\rCR\nLF\x00NUL\x0bVT END:VCALENDAR",
    "CHG-20261210-c": "CHG-20261210-c 补丁加载 " + "长" * 80,  # folded over several lines
}


def entries() -> list[Entry]:
    start = datetime(2026, 12, 8, 0, 30, tzinfo=SHANGHAI)
    return [Entry("change", "lnpdn", title, start + timedelta(days=i), start + timedelta(days=i, hours=4),
                  f"state: scheduled\r\nBEGIN:VALARM{i}", uid, "r1, r2;\nBEGIN:VEVENT")
            for i, (uid, title) in enumerate(TITLES.items())]


def shown(text: str) -> str:
    """The title as a feed can carry it: line breaks as LF, without the control characters iCalendar forbids."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return "".join(c for c in text if c in "\n\t" or ord(c) >= 0x20)


@pytest.fixture(scope="module")
def feed() -> bytes:
    return to_ics(entries(), "changeops change calendar")


def test_icalendar_reads_one_event_per_change_with_the_title_as_text(feed: bytes) -> None:
    events = icalendar.Calendar.from_ical(feed).walk("VEVENT")
    assert sorted(str(e["uid"]) for e in events) == sorted(f"{uid}@changeops" for uid in TITLES)
    for event in events:
        uid = str(event["uid"]).removesuffix("@changeops")
        assert str(event["summary"]) == f"[change] {shown(TITLES[uid])}"
        assert str(event["location"]) == "r1, r2;\nBEGIN:VEVENT"
        assert str(event["description"]).startswith("state: scheduled\nBEGIN:VALARM")
        assert event.decoded("dtstart").tzinfo is not None


def test_vobject_reads_the_same_events(feed: bytes) -> None:
    calendar = vobject.readOne(feed.decode("utf-8"))
    events = calendar.contents["vevent"]
    assert sorted(e.uid.value for e in events) == sorted(f"{uid}@changeops" for uid in TITLES)
    assert "valarm" not in {name for e in events for name in e.contents}
    for event in events:
        uid = event.uid.value.removesuffix("@changeops")
        assert event.summary.value == f"[change] {shown(TITLES[uid])}"
        assert event.dtstart.value == next(e.start for e in entries() if e.uid == uid).astimezone(UTC)


def test_every_line_is_a_property_of_the_feed(feed: bytes) -> None:
    """By hand, as the RFC says: unfold, then every line is NAME[;params]:value and BEGIN/END pair up."""
    text = feed.decode("utf-8")
    assert "\r" not in text.replace("\r\n", "")
    lines = text.replace("\r\n ", "").replace("\r\n\t", "").split("\r\n")[:-1]
    begins = [line for line in lines if line.startswith("BEGIN:")]
    assert begins == ["BEGIN:VCALENDAR"] + ["BEGIN:VEVENT"] * len(TITLES)
    assert all(line.split(":", 1)[0].split(";")[0].replace("-", "").isalnum() for line in lines)
    assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))
