"""Notice: the customer is told at least N working days before the window (weekends and holidays skipped)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

from changeops.policy.calendars import working_days_between
from changeops.policy.context import PolicyContext, PolicyIssue, local, utc
from changeops.records.model import ChangeBase


def check_notice(change: ChangeBase, ctx: PolicyContext) -> Iterator[PolicyIssue]:
    settings = ctx.policies.rules.notice
    if change.model in settings.exempt_models or settings.working_days == 0:
        return
    if change.notice is None:
        yield PolicyIssue("policy-notice", ("notice",), "the customer has not been notified",
                          f"notify the customer at least {settings.working_days} working days before the window "
                          "and record it under `notice:` (sent, to, channel)")
        return
    zone = ctx.zone(change)
    customer = ctx.customer(change)
    sent, start = utc(change.notice.sent), utc(change.window.start)
    if sent >= start:
        yield PolicyIssue("policy-notice", ("notice", "sent"), "the notice was sent after the window starts",
                          "a notice is given before the work; reschedule the change")
        return
    days = working_days_between(sent.astimezone(zone).date(), start.astimezone(zone).date(),
                                customer.holidays if customer else None, enough=settings.working_days)
    if days < settings.working_days:
        yield PolicyIssue(
            "policy-notice", ("notice", "sent"),
            f"notice sent {local(sent, zone)} leaves {days} working day(s) before the window on {local(start, zone)}; "
            f"{settings.working_days} are required (weekends and public holidays do not count)",
            "move the window later, or use `model: emergency` if this cannot wait")


def notice_from_future(change: ChangeBase, now: datetime) -> PolicyIssue | None:
    """A notice whose ``sent`` time is still to come: it records an intention, not a notice given.

    Checked at validation time against the real clock, never cached with the record (it goes stale).
    """
    if change.notice is None or utc(change.notice.sent) <= utc(now):
        return None
    return PolicyIssue("notice-future", ("notice", "sent"),
                       f"the notice is dated {utc(change.notice.sent):%Y-%m-%d %H:%M} UTC, after now "
                       f"({utc(now):%Y-%m-%d %H:%M} UTC)",
                       "record a notice once it is sent: set `sent` to when it went out, or remove `notice:` "
                       "until then")
