"""The site's iCalendar feed: one event per change, one recurring event per weekly maintenance window slot and
per engineer's turn in the duty rotation.

A subscribed calendar expands a weekly window from its ``RRULE``; listing every
occurrence would fill an approver's calendar with hundreds of copies. Changes
and freezes are written in UTC; recurring windows in the customer's zone (with
its ``VTIMEZONE``), so a window at 00:00 local time stays there across daylight
saving changes.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from datetime import datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from changeops.policy.calendar_feed import Entry
from changeops.policy.duty import AssuranceRoster, CustomerDuty, phone_text
from changeops.policy.files import WEEKDAYS, WeeklySlot, WindowRule
from changeops.policy.people import display_name
from changeops.policy.rota import Stretch, handover_at, stretches
from changeops.publish.labels import Labels, labels_for
from changeops.publish.snapshot import Record, Snapshot
from changeops.records.fields import text_in
from changeops.text_safety import plain

FEED_NAME = "changeops change calendar"
_RRULE_DAYS = {"mon": "MO", "tue": "TU", "wed": "WE", "thu": "TH", "fri": "FR", "sat": "SA", "sun": "SU"}


def site_feed(snap: Snapshot, freezes: list[Entry], low: datetime, high: datetime,
              change_url: Callable[[Record], str]) -> bytes:
    """The feed of windows, ``freezes`` and changes between ``low`` and ``high``.

    ``change_url(record)`` gives the link to a change's page written into its event.
    """
    from icalendar import Calendar

    feed = Calendar()
    feed.add("prodid", "-//changeops//change calendar//EN")
    feed.add("version", "2.0")
    feed.add("x-wr-calname", FEED_NAME)
    stamp = snap.now.astimezone(ZoneInfo("UTC"))
    for rule in snap.policies.windows:
        for event in _window_events(snap, rule, low, high):
            feed.add_component(_stamped(event, stamp))
    for entry in freezes:
        if entry.end >= low and entry.start <= high:
            feed.add_component(_stamped(_freeze_event(snap, entry), stamp))
    for record in snap.records:
        if record.change.window.end >= low and record.change.window.start <= high:
            feed.add_component(_stamped(_change_event(record, snap.now, change_url(record)), stamp))
    for event in duty_events(snap, low, high):
        feed.add_component(_stamped(event, stamp))
    feed.add_missing_timezones()
    feed_bytes: bytes = feed.to_ical()
    return feed_bytes


def _event(uid: str, summary: str, start: datetime, end: datetime, description: str, kind: str) -> Any:
    """A VEVENT; text goes through icalendar, which escapes it (a title cannot start an event of its own)."""
    from icalendar import Event

    event = Event()
    event.add("uid", f"{uid}@changeops")
    event.add("summary", plain(summary))
    event.add("dtstart", start)
    event.add("dtend", end)
    event.add("description", plain(description))
    event.add("categories", [kind])
    return event


def _stamped(event: Any, stamp: datetime) -> Any:
    event.add("dtstamp", stamp)
    return event


def _labels(snap: Snapshot, customer: str) -> tuple[Labels, ZoneInfo, str]:
    info = snap.policies.customers.get(customer)
    language = info.language if info else snap.language
    return labels_for(language), ZoneInfo(info.zone) if info else snap.site_zone(), language


def _window_events(snap: Snapshot, rule: WindowRule, low: datetime, high: datetime) -> Iterator[Any]:
    L, zone, _ = _labels(snap, rule.customer)
    zone = ZoneInfo(rule.zone) if rule.zone else zone
    scope = _scope(rule, L)
    for number, slot in enumerate(rule.weekly):
        start = _first_start(slot, zone, low)
        event = _event(_uid("window", rule.customer, rule.name, str(number)), f"[{L.feed_window}] {rule.name}",
                       start, start + _length(slot), scope, "window")
        event.add("rrule", {"freq": "weekly", "byday": [_RRULE_DAYS[day] for day in slot.days]})
        event.add("transp", "TRANSPARENT")
        yield event
    for once in rule.once:
        if once.end >= low and once.start <= high:
            reason = text_in(once.reason, L.language) if once.reason else ""
            yield _event(_uid("window", rule.customer, rule.name, once.start.isoformat()),
                         f"[{L.feed_window}] {rule.name}", _utc(once.start), _utc(once.end),
                         "\n".join(p for p in (scope, reason) if p), "window")


def _first_start(slot: WeeklySlot, zone: ZoneInfo, low: datetime) -> datetime:
    """The slot's first start on or after the feed's first day, in ``zone`` (the recurrence's anchor)."""
    day = low.astimezone(zone).date()
    while WEEKDAYS[day.weekday()] not in slot.days:
        day += timedelta(days=1)
    return datetime.combine(day, time.fromisoformat(slot.start), tzinfo=zone)


def _length(slot: WeeklySlot) -> timedelta:
    """How long the slot lasts; an end not after its start (or 24:00) is on the next day."""
    start = datetime.combine(datetime.min, time.fromisoformat(slot.start))
    end = start.replace(hour=0, minute=0) + timedelta(days=1) if slot.end == "24:00" else \
        datetime.combine(datetime.min, time.fromisoformat(slot.end))
    return end - start if end > start else end + timedelta(days=1) - start


def _scope(rule: WindowRule, L: Labels) -> str:
    parts = [*rule.sites, *rule.groups, *(L.change_type(kind) for kind in rule.change_types)]
    return f"{L.feed_scope}: {', '.join(parts) if parts else L.feed_all_devices}"


def _freeze_event(snap: Snapshot, entry: Entry) -> Any:
    L, _, _ = _labels(snap, entry.customer)
    event = _event(entry.uid, f"[{L.feed_freeze}] {entry.title}", _utc(entry.start), _utc(entry.end),
                   entry.detail, "freeze")
    event.add("transp", "OPAQUE")
    return event


def _change_event(record: Record, now: datetime, link: str) -> Any:
    change, L, lang = record.change, labels_for(record.language), record.language
    state = L.state(record.state(now))
    lines = [f"{record.id} {record.title}",
             f"{L.targets}: {', '.join(change.targets)}",
             f"{L.risk}: {L.risk_level(change.risk.level)} — {text_in(change.risk.description, lang)}",
             f"{L.impact}: {text_in(change.impact.summary, lang)}",
             f"{L.outage}: {change.impact.outage_minutes} {L.minutes}",
             f"{L.feed_state}: {state}",
             f"{L.feed_page}: {link}"]
    event = _event(record.id, f"[{state}] {record.id} {record.title}",
                   _utc(change.window.start), _utc(change.window.end), "\n".join(lines), "change")
    event.add("location", plain(", ".join(change.targets)))
    if link.startswith(("http://", "https://")):
        event.add("url", link)
    return event


def _uid(kind: str, *parts: str) -> str:
    """Stable across builds, so a subscribed calendar updates its events instead of adding copies."""
    return f"{kind}-{hashlib.sha1('|'.join(parts).encode()).hexdigest()[:16]}"


def _utc(moment: datetime) -> datetime:
    return moment.astimezone(ZoneInfo("UTC"))


def duty_events(snap: Snapshot, low: datetime, high: datetime) -> Iterator[Any]:
    """The duty roster: each engineer's turn of the rotation as a recurring event in the customer's zone (a
    shift cut short at the end of a stretch on its own), and each assurance roster's days."""
    for customer, duty in snap.policies.duty.customers.items():
        L, zone, _ = _labels(snap, customer)
        for stretch in stretches(duty, zone):
            end = min(stretch.end or _covered_until(duty, zone), _covered_until(duty, zone))
            if stretch.start < high and end > low:
                yield from _turns(snap, customer, duty, stretch, end, zone, L)
        for roster in duty.assurance:
            yield from _assurance_events(snap, customer, roster, zone, low, high, L)


def _covered_until(duty: CustomerDuty, zone: ZoneInfo) -> datetime:
    return handover_at(duty.covers.end + timedelta(days=1), duty, zone)


def _turns(snap: Snapshot, customer: str, duty: CustomerDuty, stretch: Stretch, end: datetime, zone: ZoneInfo,
           L: Labels) -> Iterator[Any]:
    """One recurring event per place in the cycle (its engineer's every turn), and the shortened last shift."""
    rotation = stretch.rotation
    days, turns = rotation.shift_days, len(rotation.cycle)
    whole = (end.astimezone(zone).date() - rotation.start).days // days
    for number in range(min(turns, whole)):
        pair = rotation.cycle[number]
        start = handover_at(rotation.start + timedelta(days=number * days), duty, zone)
        event = _event(_uid("duty", customer, rotation.start.isoformat(), str(number)),
                       _duty_summary(snap, pair.primary, L), start,
                       handover_at(rotation.start + timedelta(days=(number + 1) * days), duty, zone),
                       _duty_detail(snap, duty, pair.primary, pair.backup, L), "duty")
        # A nominal DURATION, not DTEND: RFC 5545 repeats a DTEND's exact length, which across a daylight saving
        # change would move the handover by an hour.
        event.pop("DTEND")
        event.add("duration", timedelta(days=days))
        event.add("rrule", {"freq": "daily", "interval": days * turns, "count": len(range(number, whole, turns))})
        event.add("transp", "TRANSPARENT")
        yield event
    last = handover_at(rotation.start + timedelta(days=whole * days), duty, zone)
    if last < end:  # the stretch ends inside a shift: that shift, shortened, on its own
        pair = rotation.cycle[whole % turns]
        yield _event(_uid("duty", customer, rotation.start.isoformat(), f"last-{whole}"),
                     _duty_summary(snap, pair.primary, L), last, end,
                     _duty_detail(snap, duty, pair.primary, pair.backup, L), "duty")


def _assurance_events(snap: Snapshot, customer: str, roster: AssuranceRoster, zone: ZoneInfo, low: datetime,
                      high: datetime, L: Labels) -> Iterator[Any]:
    for days in roster.days:
        start = datetime.combine(days.start, time(0), tzinfo=zone)
        end = datetime.combine(days.end + timedelta(days=1), time(0), tzinfo=zone)
        if start >= high or end <= low:
            continue
        on_site = ", ".join(display_name(p, snap.policies, L.language) for p in days.on_site) or "—"
        remote = ", ".join(display_name(p, snap.policies, L.language) for p in days.remote) or "—"
        lines = [f"{L.duty_on_site}: {_with_phone(snap, p, L)}" for p in days.on_site]
        lines += [f"{L.duty_remote}: {_with_phone(snap, p, L)}" for p in days.remote]
        lines.append(f"{L.duty_contact}: {_with_phone(snap, roster.contact, L)}")
        if days.note is not None:
            lines.append(f"{L.duty_note}: {text_in(days.note, L.language)}")
        yield _event(_uid("duty", customer, roster.freeze, days.start.isoformat()),
                     f"[{L.feed_duty}] {roster.freeze}: {L.duty_on_site} {on_site}; {L.duty_remote} {remote}",
                     _utc(start), _utc(end), "\n".join(lines), "duty")


def _duty_summary(snap: Snapshot, primary: str, L: Labels) -> str:
    return f"[{L.feed_duty}] {display_name(primary, snap.policies, L.language)}"


def _duty_detail(snap: Snapshot, duty: CustomerDuty, primary: str, backup: str, L: Labels) -> str:
    return "\n".join((f"{L.duty_primary}: {_with_phone(snap, primary, L)}",
                      f"{L.duty_backup}: {_with_phone(snap, backup, L)}",
                      f"{L.duty_hotline}: {phone_text(duty.hotline)}"))


def _with_phone(snap: Snapshot, person: str, L: Labels) -> str:
    phone = snap.policies.duty.phones.get(person)
    name = display_name(person, snap.policies, L.language)
    return f"{name} {phone_text(phone)}" if phone else name
