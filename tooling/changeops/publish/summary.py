"""The service summaries (阶段性服务总结, 2.3.4): a monthly summary (月度服务总结) and a quarterly system
analysis (季度系统分析报告) with trends and the engineers' proposals.

A summary page is a list of sections, each a template under ``templates/summary/`` reading the period's
figures (:mod:`changeops.publish.service_figures`): adding a section is one template and one name below.
"""

from __future__ import annotations

from collections.abc import Iterator
from itertools import groupby

from changeops.publish.change_pages import change_uri, device_uri
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
    summary_index,
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
    index = summary_index(snap)
    figures: dict[str, PeriodFigures] = {}

    def of(key: str) -> PeriodFigures:
        if key not in figures:
            period = quarter_period(key) if "Q" in key else month_period(key)
            figures[key] = period_figures(snap, index, period, written.get(key, (None, "")))
        return figures[key]

    months = [month for month, _ in groupby(snap.records, key=lambda r: r.month)]
    quarters = sorted({quarter_key(m) for m in months})
    for month in months:
        yield _page(snap, of(month), MONTHLY_SECTIONS, L.monthly_summary.format(period=month))
    for quarter in quarters:
        yield _page(snap, of(quarter), QUARTERLY_SECTIONS, L.quarterly_report.format(period=quarter),
                    trend=[of(m) for m in of(quarter).period.months()], previous=of(previous_quarter(quarter)))
    yield Page("summaries/index.md", render("summaries_index.md.j2", L=L, months=[of(m) for m in months][::-1],
                                            quarters=[of(q) for q in quarters][::-1],
                                            link=lambda key: summary_uri(key).removeprefix("summaries/")),
               in_nav=True)


def _page(snap: Snapshot, figures: PeriodFigures, sections: tuple[str, ...], title: str, **more: object) -> Page:
    src = summary_uri(figures.period.key)
    return Page(src, render("summary.md.j2", L=labels_for(snap.language), f=figures, title=title,
                            sections=sections, columns=RESULT_COLUMNS, lang=snap.language,
                            due_days=snap.policies.sla.summary_due_working_days,
                            link=lambda cid, src=src: rel(change_uri(cid), src),
                            device=lambda host, src=src: rel(device_uri(host), src), zone=snap.site_zone(),
                            doc=lambda cid, name, src=src: rel(f"changes/{cid}/{name}.md", src), **more))


__all__ = ["Period", "summary_pages", "summary_uri"]
