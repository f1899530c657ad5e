"""Customer documents, printable and signable: patch notice (补丁通知), production maintenance record
(生产维护记录表), fault report (故障处理报告) and drill report (应急演练报告)."""

from __future__ import annotations

from collections.abc import Iterator

from changeops.publish.change_pages import change_uri, document_uris, playbook_uri
from changeops.publish.labels import Labels, labels_for
from changeops.publish.rendering import Page, html_page, linker
from changeops.publish.runs import Run
from changeops.publish.snapshot import Record, Snapshot
from changeops.records.notice_text import notice_text

TEMPLATES = {"notice": "doc_patch_notice.html.j2", "maintenance-record": "doc_maintenance_record.html.j2",
             "fault-report": "doc_fault_report.html.j2", "drill-report": "doc_drill_report.html.j2"}
PRINTABLE = {"hide": ["navigation", "toc"], "template": "changeops-document.html"}


def document_pages(snap: Snapshot, playbooks: set[str], runbooks: set[str], directory_urls: bool) -> Iterator[Page]:
    """Every customer document of every valid change, in the change customer's language."""
    for record in snap.records:
        L = labels_for(record.language)
        run = record.latest_run
        for key, src in document_uris(record, snap.now):
            kind = src.rsplit("/", 1)[1].removesuffix(".md")
            if kind not in TEMPLATES:
                continue  # a document with its own module (the inspection report)
            title = getattr(L, key)
            yield html_page(
                src, TEMPLATES[kind], f"{title} {record.id}", PRINTABLE, r=record, c=record.change, L=L,
                lang=record.language, link=linker(src, directory_urls), change_uri=change_uri, run=run,
                problems=run_problems(run, L), letter=_letter(record) if kind == "notice" else "",
                playbooks=playbooks, playbook_uri=playbook_uri, runbook_uri=_runbook_uri(record, runbooks),
                achieved=_achieved(run))


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


def _letter(record: Record) -> str:
    return notice_text(record.change, record.customer_name, record.zone, record.language)


def _runbook_uri(record: Record, runbooks: set[str]) -> str:
    drill = getattr(record.change, "drill", None)
    uri = f"runbooks/{drill.runbook}" if drill is not None else ""
    return uri if uri in runbooks else ""


def _achieved(run: Run | None) -> float | None:
    return None if run is None or run.recovery_seconds is None else round(run.recovery_seconds / 60, 1)
