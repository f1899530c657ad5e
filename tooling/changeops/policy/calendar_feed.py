"""The change calendar: maintenance windows, freezes and changes over a date range (text, JSON, iCalendar)."""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from changeops.estate.layout import Estate
from changeops.policy.context import utc
from changeops.policy.files import Policies, WindowRule
from changeops.policy.freezes import freeze_periods
from changeops.policy.windows import occurrences
from changeops.records.fields import text_in
from changeops.records.model import read_change
from changeops.text_safety import plain


@dataclass(frozen=True)
class Entry:
    kind: str  # window | freeze | change
    customer: str
    title: str
    start: datetime
    end: datetime
    detail: str
    uid: str
    location: str = ""
    """Where it happens (a change's targets); empty for windows and freezes."""

    def as_json(self) -> dict[str, Any]:
        data = asdict(self)
        data.update(start=self.start.isoformat(), end=self.end.isoformat())
        return data


def calendar_entries(estate: Estate, policies: Policies, first: date, last: date,
                     customer: str | None = None) -> list[Entry]:
    """Every window occurrence, freeze and change of the customers between ``first`` and ``last``."""
    entries: list[Entry] = []
    for customer_id, info in policies.customers.items():
        if customer and customer_id != customer:
            continue
        zone = ZoneInfo(info.zone)
        for rule in (r for r in policies.windows if r.customer == customer_id):
            for start, end in occurrences(rule, zone, first, last):
                entries.append(Entry("window", customer_id, rule.name, start, end, _scope(rule),
                                     _uid("window", customer_id, rule.name, start)))
        for period in freeze_periods(policies, customer_id, first, last):
            entries.append(Entry("freeze", customer_id, period.name, period.start, period.end, period.reason,
                                 _uid("freeze", customer_id, period.name, period.start)))
    entries += _changes(estate, policies, first, last, customer)
    return sorted(entries, key=lambda e: (e.start, e.kind, e.title))


def _uid(kind: str, customer: str, name: str, start: datetime) -> str:
    """Stable across feeds, so a subscribed calendar updates entries instead of duplicating them."""
    return f"{kind}-{hashlib.sha1(f'{customer}|{name}|{start.isoformat()}'.encode()).hexdigest()[:16]}"


def _scope(rule: WindowRule) -> str:
    parts = [f"sites {', '.join(rule.sites)}" if rule.sites else "", f"groups {', '.join(rule.groups)}" if rule.groups
             else ""]
    return "; ".join(p for p in parts if p) or "all devices"


def _changes(estate: Estate, policies: Policies, first: date, last: date, customer: str | None) -> list[Entry]:
    low = datetime.combine(first - timedelta(days=1), time(0), tzinfo=UTC)
    entries = []
    for path in estate.record_files():
        change = read_change(path.read_bytes())
        if change is None or (customer and change.customer != customer):
            continue
        start, end = utc(change.window.start), utc(change.window.end)
        info = policies.customers.get(change.customer)
        language = info.language if info else "en"
        if low <= end and start.date() <= last:
            detail = f"{change.type} / {change.model}; targets: {', '.join(change.targets)}"  # type: ignore[attr-defined]
            entries.append(Entry("change", change.customer, f"{change.id} {text_in(change.title, language)}",
                                 start, end, detail, change.id, ", ".join(change.targets)))
    return entries


def to_ics(entries: list[Entry], name: str) -> bytes:
    """An iCalendar feed approvers can subscribe to.

    Text properties are handed to icalendar as values, which escapes them per RFC 5545 (line breaks as ``\\n``,
    ``;``, ``,`` and ``\\``): a title holding a line break and ``BEGIN:VEVENT`` stays text of its own event.
    """
    from icalendar import Calendar, Event

    feed = Calendar()
    feed.add("prodid", "-//changeops//change calendar//EN")
    feed.add("version", "2.0")
    feed.add("x-wr-calname", name)
    for entry in entries:
        event = Event()
        event.add("uid", f"{entry.uid}@changeops")
        event.add("summary", _text(f"[{entry.kind}] {entry.title}"))
        # In UTC: a fixed offset would be written as a TZID the feed defines nowhere, which readers reject.
        event.add("dtstart", entry.start.astimezone(UTC))
        event.add("dtend", entry.end.astimezone(UTC))
        event.add("dtstamp", entry.start.astimezone(UTC))
        event.add("description", _text(entry.detail))
        if entry.location:
            event.add("location", _text(entry.location))
        event.add("categories", [entry.kind])
        if entry.kind == "freeze":
            event.add("transp", "OPAQUE")
        feed.add_component(event)
    feed_bytes: bytes = feed.to_ical()
    return feed_bytes


def _text(value: str) -> str:
    """Text for an iCalendar property: control characters other than line breaks and tabs are not allowed in it."""
    return plain(value)
