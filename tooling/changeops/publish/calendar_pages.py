"""The change calendar: month views with maintenance windows, freezes and changes, and the iCalendar feed."""

from __future__ import annotations

import calendar as monthly
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from markupsafe import Markup

from changeops.policy.calendar_feed import Entry, calendar_entries
from changeops.publish.change_pages import change_uri
from changeops.publish.duty_pages import freeze_rosters
from changeops.publish.ics_feed import site_feed
from changeops.publish.labels import Labels, labels_for
from changeops.publish.rendering import Page, href, page_url, render
from changeops.publish.snapshot import Record, Snapshot
from changeops.text_safety import html_text

FEED_URI = "calendar/changeops.ics"
FEED_PAST, FEED_AHEAD = timedelta(days=90), timedelta(days=365)


@dataclass(frozen=True)
class DayItem:
    kind: str  # window | freeze | change
    html: Markup
    css: str


class _WithoutRecords:
    """An estate view with no records: windows and freezes come from the feed, changes from the snapshot."""

    def record_files(self) -> list[Path]:
        return []


def calendar_pages(snap: Snapshot, directory_urls: bool, site_url: str | None = None) -> Iterator[Page]:
    """The calendar index, one page per month, and the .ics feed (its links absolute when ``site_url`` is set)."""
    first, last = _span(snap)
    policy_entries = calendar_entries(_WithoutRecords(), snap.policies, first, last)  # type: ignore[arg-type]
    changes = _change_entries(snap)
    yield Page(FEED_URI, _feed(snap, [e for e in policy_entries if e.kind == "freeze"], directory_urls, site_url))
    months = _months(first, last)
    policy_by_month, changes_by_month = _by_month(snap, policy_entries), _by_month(snap, changes)
    for year, month in months:
        src = month_uri(year, month)
        yield Page(src, _month_page(snap, year, month, policy_by_month.get((year, month), []),
                                    changes_by_month.get((year, month), []), directory_urls, src, months))
    yield Page("calendar/index.md", _index(snap, months, policy_entries, directory_urls), in_nav=True)


def month_uri(year: int, month: int) -> str:
    return f"calendar/{year:04d}-{month:02d}.md"


def _span(snap: Snapshot) -> tuple[date, date]:
    """First and last day shown: every change, and the feed's range around today."""
    first, last = snap.today - FEED_PAST, snap.today + FEED_AHEAD
    if snap.records:
        first = min(first, snap.records[0].change.window.start.date() - timedelta(days=1))
        last = max(last, max(r.change.window.end.date() for r in snap.records) + timedelta(days=1))
    return first.replace(day=1), date(last.year, last.month, monthly.monthrange(last.year, last.month)[1])


def _months(first: date, last: date) -> list[tuple[int, int]]:
    months, cursor = [], first.replace(day=1)
    while cursor <= last:
        months.append((cursor.year, cursor.month))
        cursor = (cursor + timedelta(days=32)).replace(day=1)
    return months


def _by_month(snap: Snapshot, entries: list[Entry]) -> dict[tuple[int, int], list[Entry]]:
    """Entries by the months they touch in their customer's zone, so a month page reads only its own."""
    months: dict[tuple[int, int], list[Entry]] = {}
    for entry in entries:
        zone = _zone(snap, entry.customer)
        for key in _months(entry.start.astimezone(zone).date(), entry.end.astimezone(zone).date()):
            months.setdefault(key, []).append(entry)
    return months


def _change_entries(snap: Snapshot) -> list[Entry]:
    return [Entry("change", r.change.customer, f"{r.id} {r.title}", r.change.window.start, r.change.window.end,
                  r.state(snap.now), r.id, ", ".join(r.change.targets)) for r in snap.records]


def _feed(snap: Snapshot, freezes: list[Entry], directory_urls: bool, site_url: str | None) -> bytes:
    zone = snap.site_zone()
    low = datetime.combine(snap.today - FEED_PAST, datetime.min.time(), tzinfo=zone)
    high = datetime.combine(snap.today + FEED_AHEAD, datetime.min.time(), tzinfo=zone)
    base = (site_url.rstrip("/") + "/") if site_url else "/"

    def change_url(record: Record) -> str:
        return base + page_url(change_uri(record.id), directory_urls)

    return site_feed(snap, freezes, low, high, change_url)


def _zone(snap: Snapshot, customer: str) -> ZoneInfo:
    info = snap.policies.customers.get(customer)
    return ZoneInfo(info.zone) if info else snap.site_zone()


def _days_by_item(snap: Snapshot, entries: list[Entry], year: int, month: int, src: str,
                  directory_urls: bool) -> dict[date, list[DayItem]]:
    first = date(year, month, 1)
    last = date(year, month, monthly.monthrange(year, month)[1])
    L = labels_for(snap.language)
    days: dict[date, list[DayItem]] = {}
    for entry in entries:
        zone = _zone(snap, entry.customer)
        start, end = entry.start.astimezone(zone), entry.end.astimezone(zone)
        if end.date() < first or start.date() > last:
            continue
        if entry.kind == "freeze":
            day = max(start.date(), first)
            final = min((end - timedelta(seconds=1)).date(), last)
            while day <= final:
                days.setdefault(day, []).append(DayItem(
                    "freeze", Markup(f'<span title="{html_text(entry.detail)}">{html_text(entry.title)}</span>'),
                    "co-freeze"))
                day += timedelta(days=1)
        elif first <= start.date() <= last:
            days.setdefault(start.date(), []).append(_item(entry, start, end, src, directory_urls, L))
    return days


def _item(entry: Entry, start: datetime, end: datetime, src: str, directory_urls: bool, L: Labels) -> DayItem:
    times = f"{start:%H:%M}–{end:%H:%M}"
    if entry.kind == "window":
        name = html_text(entry.title)
        return DayItem("window", Markup(f'<span title="{name}">{times} {name}</span>'), "co-window")
    link = href(change_uri(entry.uid), src, directory_urls)
    title = entry.title.removeprefix(entry.uid).strip()
    text = (f'{times} <a href="{html_text(link)}" title="{html_text(entry.title)}">{html_text(entry.uid)}</a> '
            f'{html_text(L.state(entry.detail))}<br><span class="co-title">{html_text(title)}</span>')
    return DayItem("change", Markup(text), f"co-change co-state--{entry.detail}")


def _month_table(snap: Snapshot, year: int, month: int, entries: list[Entry], src: str,
                 directory_urls: bool) -> Markup:
    """The month as an HTML table (autoescaped), placed as it is in the Markdown page."""
    days = _days_by_item(snap, entries, year, month, src, directory_urls)
    L = labels_for(snap.language)
    weeks = monthly.Calendar(firstweekday=0).monthdatescalendar(year, month)
    return Markup(render("calendar_table.html.j2", weeks=weeks, month=month, days=days, weekdays=L.weekdays(),
                         today=snap.today))


def _month_page(snap: Snapshot, year: int, month: int, policy_entries: list[Entry], changes: list[Entry],
                directory_urls: bool, src: str, months: list[tuple[int, int]]) -> str:
    L = labels_for(snap.language)
    entries = policy_entries + changes
    table = _month_table(snap, year, month, entries, src, directory_urls)
    first = date(year, month, 1)
    last = date(year, month, monthly.monthrange(year, month)[1])
    freezes = [e for e in policy_entries if e.kind == "freeze" and _overlaps(snap, e, first, last)]
    at = months.index((year, month))
    previous, following = months[at - 1] if at else None, months[at + 1] if at + 1 < len(months) else None
    return render("calendar_month.md.j2", L=L, title=f"{year:04d}-{month:02d}", table=table,
                  freezes=freezes, zone_of=lambda e: _zone(snap, e.customer), feed="changeops.ics",
                  rosters=freeze_rosters(snap, freezes),
                  previous=previous and _neighbour(*previous), following=following and _neighbour(*following))


def _neighbour(year: int, month: int) -> tuple[str, str]:
    """A neighbouring month's name and its page, relative to a month page."""
    return f"{year:04d}-{month:02d}", month_uri(year, month).removeprefix("calendar/")


def _overlaps(snap: Snapshot, entry: Entry, first: date, last: date) -> bool:
    zone = _zone(snap, entry.customer)
    last_moment = (entry.end - timedelta(seconds=1)).astimezone(zone)
    return entry.start.astimezone(zone).date() <= last and last_moment.date() >= first


def _index(snap: Snapshot, months: list[tuple[int, int]], policy_entries: list[Entry], directory_urls: bool) -> str:
    L = labels_for(snap.language)
    src = "calendar/index.md"
    current = (snap.today.year, snap.today.month)
    horizon = snap.today + FEED_AHEAD
    freezes = [e for e in policy_entries if e.kind == "freeze" and _overlaps(snap, e, snap.today, horizon)]
    this_month = _by_month(snap, policy_entries + _change_entries(snap)).get(current, [])
    table = _month_table(snap, *current, this_month, src, directory_urls)
    years: dict[int, list[tuple[int, int]]] = {}
    for year, month in months:
        years.setdefault(year, []).append((year, month))
    return render("calendar_index.md.j2", L=L, table=table, current=f"{current[0]:04d}-{current[1]:02d}",
                  freezes=freezes, years=years, zone_of=lambda e: _zone(snap, e.customer), feed="changeops.ics",
                  rosters=freeze_rosters(snap, freezes),
                  month_link=lambda y, m: month_uri(y, m).removeprefix("calendar/"))
