"""The inspection report (巡检报告, service plan 2.3.3): one per inspection record, in Chinese and English.

It reads the newest run's ``inspection.yaml`` (measured, judged and compared by the run)
and the record (period, open problems, optimisation proposals), and lists the follow-up
changes: a change whose ``requested_via`` names ``<inspection ID>/<host>/<check>`` follows
up that anomaly. Everything a person typed reaches the page through the autoescaped
template; the words come from :mod:`changeops.publish.labels`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from functools import partial

from changeops.publish.change_pages import change_uri
from changeops.publish.document_print import document_number, print_style
from changeops.publish.labels import LANGUAGES, labels_for
from changeops.publish.rendering import Page, html_page, linker
from changeops.publish.snapshot import Record, Snapshot
from changeops.records.fields import text_in
from changeops.records.inspection_result import Anomaly, InspectionResult, latest_result
from changeops.records.model import InspectionChange

PRINTABLE = {"hide": ["navigation", "toc"], "template": "changeops-document.html"}


def report_uri(change_id: str, language: str) -> str:
    """Where the report of ``change_id`` in ``language`` is published."""
    return f"changes/{change_id}/inspection-report.{language}.md"


@dataclass(frozen=True)
class FollowUp:
    """A change that follows up an anomaly or an open problem, with its derived state."""

    id: str
    title: str
    state: str


def follow_ups(snap: Snapshot, inspection_id: str, language: str) -> dict[str, list[FollowUp]]:
    """``host/check`` -> the changes whose ``requested_via`` names ``<inspection_id>/<host>/<check>``."""
    marker = f"{inspection_id}/"
    found: dict[str, list[FollowUp]] = {}
    for record in snap.records:
        via = record.change.requested_via
        texts = [text_in(via, lang) for lang in LANGUAGES] if via is not None else []
        for text in dict.fromkeys(texts):
            for part in text.split(marker)[1:]:
                key = "/".join(part.split()[0].split("/")[:2]) if part.split() else ""
                if key.count("/") == 1:
                    found.setdefault(key, []).append(FollowUp(record.id, text_in(record.change.title, language),
                                                              record.state(snap.now)))
    return found


def anomaly_follow_ups(anomaly: Anomaly, found: dict[str, list[FollowUp]]) -> list[FollowUp]:
    return found.get(f"{anomaly.host}/{anomaly.check}", [])


def inspection_report_pages(snap: Snapshot, directory_urls: bool) -> Iterator[Page]:
    """The report of every inspection record, in both languages."""
    known = {r.id: r for r in snap.records}
    for record in snap.records:
        if not isinstance(record.change, InspectionChange):
            continue
        result = latest_result(record.folder)
        number = document_number(record.change.customer, "inspection-report", record.id)
        for language in LANGUAGES:
            src = report_uri(record.id, language)
            L = labels_for(language)
            other = next(lang for lang in LANGUAGES if lang != language)
            header = _header(snap, record, result, language)
            yield html_page(
                src, "doc_inspection_report.html.j2", f"{L.inspection_report} {record.id}", PRINTABLE,
                r=record, c=record.change, L=L, lang=language, link=linker(src, directory_urls),
                change_uri=change_uri, result=result, header=header, number=number,
                print_style=print_style(header["customer"], number, language),
                follow_ups=follow_ups(snap, record.id, language), anomaly_follow_ups=anomaly_follow_ups,
                other_uri=report_uri(record.id, other), other_label=labels_for(other).inspection_report,
                known=known, now=snap.now, describe=partial(describe_key, language=language))


def describe_key(key: str, language: str) -> str:
    """An anomaly's key (``host/check[/subject]``) in words: the check in the report's language."""
    host, _, rest = key.partition("/")
    check, _, subject = rest.partition("/")
    return " ".join(part for part in (host, labels_for(language).inspection_check(check), subject) if part)


@dataclass(frozen=True)
class IndexRow:
    """One inspection in the index: its record, its result (if it ran) and the devices per status."""

    record: Record
    result: InspectionResult | None
    counts: dict[str, int]


def inspections_index(snap: Snapshot, directory_urls: bool) -> Page:
    """Every inspection report, per customer, newest month first."""
    src = "inspections/index.md"
    by_customer: dict[str, list[IndexRow]] = {}
    inspections = [(r.change.inspection.period, r) for r in snap.records if isinstance(r.change, InspectionChange)]
    for _, record in sorted(inspections, key=lambda item: (item[0], item[1].id), reverse=True):
        result = latest_result(record.folder)
        hosts = [*(d.host for d in result.devices), *result.not_inspected] if result else []
        counts: dict[str, int] = dict(Counter(result.status(host) for host in hosts)) if result else {}
        customer = snap.policies.customers.get(record.change.customer)
        name = text_in(customer.name, snap.language) if customer else record.change.customer
        by_customer.setdefault(name, []).append(IndexRow(record, result, counts))
    L = labels_for(snap.language)
    return html_page(src, "inspections_index.html.j2", L.inspection_reports, L=L, customers=by_customer,
                     link=linker(src, directory_urls), change_uri=change_uri, report_uri=report_uri,
                     languages=LANGUAGES, labels_for=labels_for, now=snap.now)


def _header(snap: Snapshot, record: Record, result: InspectionResult | None, language: str) -> dict[str, str]:
    customer = snap.policies.customers.get(record.change.customer)
    inspected = result.inspected if result is not None else None
    return {"customer": text_in(customer.name, language) if customer else record.change.customer,
            "title": text_in(record.change.title, language),
            "date": record.local(inspected, "%Y-%m-%d %H:%M") if inspected else "",
            "window": f"{record.local(record.change.window.start)} – {record.local(record.change.window.end)} "
                      f"({record.zone.key})"}
