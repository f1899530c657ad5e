"""Maintenance windows (维护窗口): a change runs inside one, and no longer than its type allows."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from changeops.policy.context import PolicyContext, PolicyIssue, local, utc
from changeops.policy.files import WEEKDAYS, WindowRule
from changeops.records.model import ChangeBase

Span = tuple[datetime, datetime]


def occurrences(rule: WindowRule, zone: ZoneInfo, first: date, last: date) -> Iterator[Span]:
    """Every occurrence of ``rule`` starting between ``first`` and ``last`` (inclusive), in UTC."""
    zone = ZoneInfo(rule.zone) if rule.zone else zone
    day = first
    while day <= last:
        for slot in rule.weekly:
            if WEEKDAYS[day.weekday()] in slot.days:
                start, end = time.fromisoformat(slot.start), _end_time(slot.end)
                end_day = day if end > start and slot.end != "24:00" else day + timedelta(days=1)
                yield (utc(datetime.combine(day, start, tzinfo=zone)),
                       utc(datetime.combine(end_day, end, tzinfo=zone)))
        day += timedelta(days=1)
    for once in rule.once:
        if first <= once.start.astimezone(zone).date() <= last:
            yield utc(once.start), utc(once.end)


def _end_time(text: str) -> time:
    return time(0, 0) if text == "24:00" else time.fromisoformat(text)


def applies(rule: WindowRule, change: ChangeBase, ctx: PolicyContext) -> bool:
    """The rule is the change's customer's, and covers every target host and the change's type."""
    if rule.customer != change.customer or (rule.change_types and change.type not in rule.change_types):  # type: ignore[attr-defined]
        return False
    hosts = ctx.hosts(change)
    if rule.sites and any(f is None or f.site not in rule.sites for f in map(ctx.inventory.facts.get, hosts)):
        return False
    if rule.groups:
        members = ctx.inventory.expand(rule.groups)
        return bool(hosts) and hosts <= members
    return True


def check_window(change: ChangeBase, ctx: PolicyContext) -> Iterator[PolicyIssue]:
    settings = ctx.policies.rules.window
    start, end = utc(change.window.start), utc(change.window.end)
    hours = (end - start).total_seconds() / 3600
    limit = settings.max_hours.get(change.type)  # type: ignore[attr-defined]
    if limit is not None and hours > limit:
        yield PolicyIssue("policy-window-length", ("window", "end"),
                          f"the window lasts {hours:g} h; changes of type {change.type} may last at most {limit:g} h",  # type: ignore[attr-defined]
                          "shorten the window, or split the work into several changes")
    if change.model in settings.exempt_models:
        return
    zone = ctx.zone(change)
    rules = [r for r in ctx.policies.windows if applies(r, change, ctx)]
    if not rules:
        yield PolicyIssue("policy-window", ("window", "start"),
                          f"no maintenance window of policies/windows.yml applies to customer {change.customer} "
                          "and these targets", "agree a window with the customer and add it to policies/windows.yml")
        return
    first = start.astimezone(zone).date() - timedelta(days=1)
    if any(s <= start and end <= e for rule in rules for s, e in occurrences(rule, zone, first, first + timedelta(1))):
        return
    yield PolicyIssue("policy-window", ("window", "start"),
                      f"{local(start, zone)} – {local(end, zone)} ({zone.key}) lies outside every maintenance "
                      f"window of {change.customer}: {describe(rules)}", _next_fit_hint(rules, zone, start, end))


def describe(rules: list[WindowRule]) -> str:
    parts = []
    for rule in rules:
        slots = [f"{'/'.join(d.capitalize() for d in s.days)} {s.start}–{s.end}" for s in rule.weekly]
        slots += [f"{o.start:%Y-%m-%d %H:%M}–{o.end:%H:%M}" for o in rule.once]
        parts.append(f"{', '.join(slots)} ({rule.name})")
    return "; ".join(parts)


def _next_fit_hint(rules: list[WindowRule], zone: ZoneInfo, start: datetime, end: datetime) -> str:
    length = end - start
    first = start.astimezone(zone).date()
    spans = sorted(span for rule in rules for span in occurrences(rule, zone, first, first + timedelta(days=31)))
    for s, e in spans:
        if s >= start and e - s >= length:
            return (f"move the change into a maintenance window, e.g. from {local(s, zone)} "
                    f"(window until {local(e, zone)})")
    return "move the change into a maintenance window of policies/windows.yml"
