"""Customer documents, printable and signable: the notice (补丁加载通知, 系统升级通知, 设备搬迁/割接通知 ...),
production maintenance record with its approval record (生产维护记录表 / 审批记录), fault report (故障处理报告)
and drill report (应急演练报告)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from changeops.policy.files import Contact, Policies
from changeops.publish.change_pages import change_uri, document_title, document_uris, playbook_uri
from changeops.publish.command_log import SentCommand, commands_sent
from changeops.publish.document_print import document_number, print_style
from changeops.publish.labels import Labels, labels_for
from changeops.publish.rendering import Page, html_page, linker
from changeops.publish.runs import Run
from changeops.publish.service_figures import incident_measures
from changeops.publish.snapshot import Record, Snapshot
from changeops.records.fields import text_in
from changeops.records.model import PatchChange

TEMPLATES = {"notice": "doc_notice.html.j2", "maintenance-record": "doc_maintenance_record.html.j2",
             "fault-report": "doc_fault_report.html.j2", "drill-report": "doc_drill_report.html.j2"}
PRINTABLE = {"hide": ["navigation", "toc"], "template": "changeops-document.html"}


@dataclass(frozen=True)
class Person:
    """A contact as a document shows it, in the reader's language."""

    name: str
    role: str
    phone: str
    email: str


def document_pages(snap: Snapshot, playbooks: set[str], runbooks: set[str], directory_urls: bool) -> Iterator[Page]:
    """Every customer document of every valid change, in the change customer's language."""
    for record in snap.records:
        L = labels_for(record.language)
        run = record.latest_run
        for key, src in document_uris(record, snap.now):
            kind = src.rsplit("/", 1)[1].removesuffix(".md")
            if kind not in TEMPLATES:
                continue  # a document with its own module (the inspection report)
            title = document_title(L, key, record)
            number = document_number(record.change.customer, kind, record.id)
            yield html_page(
                src, TEMPLATES[kind], f"{title} {record.id}", PRINTABLE, r=record, c=record.change, L=L,
                lang=record.language, link=linker(src, directory_urls), change_uri=change_uri, run=run,
                problems=run_problems(run, L), playbooks=playbooks, playbook_uri=playbook_uri,
                runbook_uri=_runbook_uri(record, runbooks), achieved=_achieved(record), number=number,
                print_style=print_style(record.customer_name, number, record.language),
                **_context(kind, record, snap, L))


def _context(kind: str, record: Record, snap: Snapshot, L: Labels) -> dict[str, Any]:
    """What one kind of document needs beyond the record."""
    if kind == "notice":
        return notice_context(record, snap.policies, L)
    if kind == "fault-report":
        return {"measures": incident_measures(record, snap), "commands": _commands(record)}
    return {}


def notice_context(record: Record, policies: Policies, L: Labels) -> dict[str, Any]:
    """The letter's parties and wording: to the customer's first contact, from the provider's."""
    customer = policies.customers.get(record.change.customer)
    provider = policies.provider
    lang = record.language
    addressee = _people(customer.contacts if customer else [], lang)
    change = record.change
    ask = text_in(change.patch.customer_preparation, lang) if isinstance(change, PatchChange) \
        else L.notice_ask(change.type)  # type: ignore[attr-defined]
    return {"addressee": addressee[0] if addressee else None,
            "provider_name": text_in(provider.name, lang) if provider else "",
            "provider_contacts": _people(provider.contacts if provider else [], lang),
            "hotline": provider.hotline if provider and provider.hotline else "",
            "ask": ask, "notice_title": L.notice_title(change.type)}  # type: ignore[attr-defined]


def _people(contacts: list[Contact], language: str) -> list[Person]:
    return [Person(text_in(c.name, language), text_in(c.role, language), c.phone, c.email or "") for c in contacts]


def _commands(record: Record) -> list[SentCommand]:
    return [command for run in record.runs for command in commands_sent(run)]


def run_problems(run: Run | None, L: Labels) -> list[str]:
    """What went wrong in a run, as the maintenance record lists it (问题及解决办法)."""
    if run is None:
        return []
    problems = [f"{L.step(stage.name)}: {host} {L.host_result(result)}"
                for stage in run.stages for host, result in stage.hosts.items() if result in ("failed", "unreachable")]
    if run.result == "rolled-back":
        problems.append(f"{L.rollback}: {L.state('rolled-back')}")
    elif run.result in ("failed", "interrupted") or (run.result is None and run.stages):
        problems.append(f"{L.result}: {L.state(run.result or 'interrupted')}")
    return problems


def _runbook_uri(record: Record, runbooks: set[str]) -> str:
    drill = getattr(record.change, "drill", None)
    uri = f"runbooks/{drill.runbook}" if drill is not None else ""
    return uri if uri in runbooks else ""


def _achieved(record: Record) -> float | None:
    """A drill's achieved recovery time in minutes: the run's measurement, else the drill report's."""
    run = record.latest_run
    if run is not None and run.recovery_seconds is not None:
        return round(run.recovery_seconds / 60, 1)
    report = record.drill_report
    return report.achieved_rto_minutes if report is not None else None
