"""The home page: the next 14 days, recent results, freezes, and drills due, under the hand-written intro."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from changeops.policy.freezes import FreezePeriod, freeze_periods
from changeops.publish.change_pages import change_uri
from changeops.publish.duty_pages import home_duty
from changeops.publish.labels import labels_for
from changeops.publish.rendering import Page, render, verbatim
from changeops.publish.runbook_pages import runbook_uri
from changeops.publish.runs import Run
from changeops.publish.snapshot import Record, Snapshot
from changeops.records.model import DrillChange

AHEAD = timedelta(days=14)
FREEZES_AHEAD = timedelta(days=90)
RECENT_RUNS = 10


@dataclass(frozen=True)
class DrillDue:
    title: str
    link: str
    last: Record | None
    next_due: date | None
    scheduled: Record | None


def home_page(snap: Snapshot, intro: str) -> Page:
    """``index.md``: ``intro`` (the hand-written docs/index.md, if any) and the dashboard."""
    L = labels_for(snap.language)
    now = snap.now
    upcoming = [r for r in snap.records if now <= r.change.window.end and r.change.window.start <= now + AHEAD]
    # The intro is a hand-written page: Markdown on purpose, sanitised with every Markdown page (sanitiser.py).
    return Page("index.md", render(
        "home.md.j2", L=L, intro=verbatim(intro.strip()), upcoming=upcoming, recent=recent_runs(snap.records),
        now=now, freezes=_freezes(snap), drills=drills_due(snap), zone=snap.site_zone(), duty=home_duty(snap),
        link=lambda cid: change_uri(cid)), in_nav=True)


def recent_runs(records: list[Record]) -> list[tuple[Record, Run]]:
    runs = [(record, run) for record in records for run in record.runs]
    return sorted(runs, key=lambda pair: pair[1].moment, reverse=True)[:RECENT_RUNS]


def _freezes(snap: Snapshot) -> list[tuple[str, FreezePeriod]]:
    periods = []
    for customer in snap.policies.customers:
        periods += [(customer, p) for p in freeze_periods(snap.policies, customer, snap.today,
                                                          snap.today + FREEZES_AHEAD)]
    return sorted(periods, key=lambda item: item[1].start)


def drills_due(snap: Snapshot) -> list[DrillDue]:
    """Each emergency plan with its last drill, when the next is due and any drill scheduled.

    The next is due a year divided by the drills a year the contract promises (``policies/sla.yml``; twice
    a year by default) after the last one.
    """
    every = timedelta(days=365 // snap.policies.sla.drills_per_year)
    drills = [r for r in snap.records if isinstance(r.change, DrillChange)]
    due = []
    for runbook, _ in snap.runbooks:
        if runbook.meta is None or runbook.meta.kind != "emergency-plan":
            continue
        name = runbook.path.relative_to(snap.estate.runbooks).as_posix()
        mine = [r for r in drills if r.change.drill.runbook == name]  # type: ignore[attr-defined]
        past = [r for r in mine if r.change.window.end <= snap.now]
        ahead = [r for r in mine if r.change.window.end > snap.now]
        last = past[-1] if past else None
        next_due = (last.change.window.start.date() + every) if last else None
        title = runbook.meta.title_zh if snap.language == "zh" and runbook.meta.title_zh else runbook.meta.title
        due.append(DrillDue(title, runbook_uri(snap, runbook), last, next_due, ahead[0] if ahead else None))
    return due
