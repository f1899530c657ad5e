"""The service summaries (阶段性服务总结, 2.3.4): a monthly summary (月度服务总结) and a quarterly system
analysis (季度系统分析报告) with trends and the engineers' proposals.

A summary page is a list of sections, each a template under ``templates/summary/`` reading the period's
figures (:mod:`changeops.publish.service_figures`): adding a section is one template and one name below.
"""

from __future__ import annotations

from collections.abc import Iterator
from itertools import groupby

from changeops.publish.change_pages import change_uri
from changeops.publish.labels import labels_for
from changeops.publish.rendering import Page, rel, render
from changeops.publish.service_figures import (
    Period,
    PeriodFigures,
    month_period,
    period_figures,
    previous_quarter,
    quarter_key,
    quarter_period,
)
from changeops.publish.snapshot import Snapshot
from changeops.records.period_report import period_reports

RESULT_COLUMNS = ("completed", "failed", "rolled-back", "interrupted", "unrun")
MONTHLY_SECTIONS = ("delivery", "changes", "faults", "drills", "parts", "issues", "inspections", "drift")
QUARTERLY_SECTIONS = ("delivery", "assessment", "changes", "faults", "drills", "parts", "issues", "inspections",
                      "drift", "trends", "proposals")


def summary_uri(period: str) -> str:
    return f"summaries/{period}.md"


def summary_pages(snap: Snapshot) -> Iterator[Page]:
    """One summary per month with changes, one analysis per quarter of those months, and their index."""
    L = labels_for(snap.language)
    written = period_reports(snap.estate.reports)
    months = [month for month, _ in groupby(snap.records, key=lambda r: r.month)]
    monthly = [period_figures(snap, month_period(m), written.get(m, (None, ""))) for m in months]
    quarters = sorted({quarter_key(m) for m in months})
    quarterly = [period_figures(snap, quarter_period(q), written.get(q, (None, ""))) for q in quarters]
    for figures in monthly:
        yield _page(snap, figures, MONTHLY_SECTIONS, L.monthly_summary.format(period=figures.period.key))
    for figures in quarterly:
        trend = [period_figures(snap, month_period(m), (None, "")) for m in figures.period.months()]
        before = quarter_period(previous_quarter(figures.period.key))
        yield _page(snap, figures, QUARTERLY_SECTIONS, L.quarterly_report.format(period=figures.period.key),
                    trend=trend, previous=period_figures(snap, before, (None, "")))
    yield Page("summaries/index.md", render("summaries_index.md.j2", L=L, months=monthly[::-1],
                                            quarters=quarterly[::-1],
                                            link=lambda key: summary_uri(key).removeprefix("summaries/")),
               in_nav=True)


def _page(snap: Snapshot, figures: PeriodFigures, sections: tuple[str, ...], title: str, **more: object) -> Page:
    src = summary_uri(figures.period.key)
    return Page(src, render("summary.md.j2", L=labels_for(snap.language), f=figures, title=title,
                            sections=sections, columns=RESULT_COLUMNS, lang=snap.language,
                            due_days=snap.policies.sla.summary_due_working_days,
                            link=lambda cid, src=src: rel(change_uri(cid), src),
                            doc=lambda cid, name, src=src: rel(f"changes/{cid}/{name}.md", src), **more))


__all__ = ["Period", "summary_pages", "summary_uri"]
