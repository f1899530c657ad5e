"""The change calendar: windows, freezes and changes over a date range."""

from __future__ import annotations

import json
import sys
from datetime import datetime, timedelta
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated

import typer
from rich.markup import escape

from changeops.cli.common import RepoOption, epilog, estate, out, print_table
from changeops.errors import UsageError

if TYPE_CHECKING:
    from changeops.policy.calendar_feed import Entry
    from changeops.policy.files import Policies


class CalendarFormat(StrEnum):
    TEXT = "text"
    JSON = "json"
    ICS = "ics"


def register(app: typer.Typer) -> None:
    """Add this group's commands to ``app``."""
    app.command(short_help="Windows, freezes and changes by date.",
                epilog=epilog("changeops calendar --from 2026-12-01 --to 2027-01-31",
                              "changeops calendar --customer lnpdn --format ics > lnpdn.ics"))(calendar)


def calendar(
    start: Annotated[datetime | None, typer.Option("--from", metavar="DAY", formats=["%Y-%m-%d"],
                                                   help="First day, YYYY-MM-DD (default: today).")] = None,
    end: Annotated[datetime | None, typer.Option("--to", metavar="DAY", formats=["%Y-%m-%d"],
                                                 help="Last day, YYYY-MM-DD (default: 60 days on).")] = None,
    customer: Annotated[str | None, typer.Option("--customer", metavar="ID", help="Only this customer.")] = None,
    fmt: Annotated[CalendarFormat, typer.Option("--format", "-f", help="text, json or ics.")] = CalendarFormat.TEXT,
    repo: RepoOption = None,
) -> None:
    """Maintenance windows, freezes and changes over a date range; `--format ics` is a subscribable feed."""
    from changeops.policy.calendar_feed import calendar_entries, to_ics
    from changeops.policy.engine import read_policies
    from changeops.policy.files import DirectorySource

    found = estate(repo)
    first = (start or datetime.now()).date()
    last = end.date() if end else first + timedelta(days=60)
    if last < first:
        raise UsageError("--to is before --from")
    policies = read_policies(DirectorySource(found.policies))
    entries = calendar_entries(found, policies, first, last, customer)
    if fmt is CalendarFormat.ICS:
        sys.stdout.buffer.write(to_ics(entries, f"changeops {customer or 'all customers'}"))
    elif fmt is CalendarFormat.JSON:
        out.out(json.dumps([e.as_json() for e in entries], ensure_ascii=False, indent=2), highlight=False)
    else:
        _print_calendar(entries, policies)


def _print_calendar(entries: list[Entry], policies: Policies) -> None:
    from zoneinfo import ZoneInfo

    rows = []
    for e in entries:
        zone = ZoneInfo(policies.customers[e.customer].zone) if e.customer in policies.customers else None
        rows.append((e.kind, f"{e.start.astimezone(zone):%Y-%m-%d %a %H:%M}", f"{e.end.astimezone(zone):%m-%d %H:%M}",
                     escape(e.title), escape(e.detail)))
    print_table(out, ("kind", "start", "end", "what", "detail"), rows)
