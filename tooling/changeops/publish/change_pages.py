"""One page per change (plan, approvals, runs with transcripts and backups), and the index pages linking them.

Change pages stay out of the navigation: the changes index lists months, each
month page lists its changes, each device page lists the changes touching it.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from functools import partial
from itertools import groupby
from pathlib import Path

from changeops.publish.irregular import irregularities
from changeops.publish.labels import Labels, labels_for
from changeops.publish.masking import mask_secrets
from changeops.publish.rendering import Page, html_page, linker, render
from changeops.publish.runs import Run
from changeops.publish.snapshot import Record, Snapshot

TRANSCRIPT_SHOWN = 200_000
"""Characters of a transcript shown on the page; the download has all of it."""


def change_uri(change_id: str) -> str:
    return f"changes/{change_id}/index.md"


def month_uri(month: str) -> str:
    return f"changes/{month}.md"


def document_uris(record: Record, now: datetime) -> list[tuple[str, str]]:
    """(label key, source path) of the customer documents of a change.

    Every planned change gets a notice (an emergency answers a fault the customer declared, and is approved
    instead); an emergency its fault report, a drill its drill report, an inspection its inspection report. The
    production maintenance record records work done: it exists once the window has begun or a run exists.
    """
    base = f"changes/{record.id}"
    change = record.change
    kinds = [] if change.model == "emergency" else [("notice", "notice")]
    if change.incident is not None:
        kinds.append(("fault_report", "fault-report"))
    if change.type == "drill":  # type: ignore[attr-defined]
        kinds.append(("drill_report", "drill-report"))
    if change.type == "inspection":  # type: ignore[attr-defined]
        kinds.append(("inspection_report", f"inspection-report.{record.language}"))
    if record.runs or change.window.start <= now:
        kinds.append(("maintenance_record", "maintenance-record"))
    return [(key, f"{base}/{name}.md") for key, name in kinds]


def document_title(L: Labels, key: str, record: Record) -> str:
    """A document's title: a notice is named for its change's type (补丁加载通知, 系统升级通知 ...)."""
    return L.notice_title(record.change.type) if key == "notice" else getattr(L, key)  # type: ignore[attr-defined]


def change_pages(snap: Snapshot, playbooks: set[str], runbooks: set[str], directory_urls: bool) -> Iterator[Page]:
    """The page of every valid change, and the files of its runs."""
    devices = set(snap.inventory.hosts)
    for record in snap.records:
        src = change_uri(record.id)
        L = labels_for(record.language)
        yield html_page(
            src, "change.html.j2", f"{record.id} {record.title}", r=record, L=L, lang=record.language,
            state=record.state(snap.now), devices=devices, link=linker(src, directory_urls),
            warnings=irregularities(record, snap.policies, snap.now),
            group_hosts=lambda group: sorted(snap.inventory.groups.get(group, ())) if group not in devices else [],
            documents=[(document_title(L, key, record), uri) for key, uri in document_uris(record, snap.now)],
            playbooks=playbooks,
            playbook_uri=playbook_uri, device_uri=device_uri, month_uri=month_uri,
            runbook_uri=lambda name: f"runbooks/{name}" if f"runbooks/{name}" in runbooks else "",
            run_hosts=_run_hosts, transcripts=partial(_transcripts, record), backups=partial(_backups, record),
            events=lambda run, record=record: _published(record, run.events))
        yield from run_files(record)


def device_uri(host: str) -> str:
    return f"devices/{host}.md"


def run_files(record: Record) -> Iterator[Page]:
    """Transcripts, masked backups and events of every run, as downloadable files."""
    for run in record.runs:
        for path in [*run.transcripts.values(), *run.backups, *([run.events] if run.events else [])]:
            text = path.read_text(encoding="utf-8", errors="replace")
            yield Page(_published(record, path), mask_secrets(text))


def _published(record: Record, path: Path) -> str:
    return f"changes/{record.id}/{path.relative_to(record.folder).as_posix()}"


def _run_hosts(run: Run) -> list[str]:
    hosts = {host for stage in run.stages for host in stage.hosts} | set(run.transcripts)
    return sorted(hosts)


def _transcripts(record: Record, run: Run) -> list[tuple[str, str, str, str]]:
    shown = []
    for host, path in run.transcripts.items():
        text = mask_secrets(path.read_text(encoding="utf-8", errors="replace"))
        cut = f"{len(text) - TRANSCRIPT_SHOWN} characters more in the download" if len(text) > TRANSCRIPT_SHOWN else ""
        shown.append((host, _published(record, path), text[:TRANSCRIPT_SHOWN], cut))
    return shown


def _backups(record: Record, run: Run) -> list[tuple[str, str]]:
    return [(path.relative_to(run.folder / "backups").as_posix(), _published(record, path)) for path in run.backups]


def playbook_uri(name: str) -> str:
    return f"playbooks/{Path(name).with_suffix('.md').as_posix()}"


def change_indexes(snap: Snapshot, directory_urls: bool) -> Iterator[Page]:
    """The changes index (months, and records that could not be read) and one page per month."""
    L = labels_for(snap.language)
    months = []
    for month, grouped in groupby(snap.records, key=lambda r: r.month):
        records = list(grouped)
        months.append((month, len(records)))
        yield _month_page(month, records, snap, L, directory_urls)
    yield Page("changes/index.md", render("changes_index.md.j2", L=L, months=months, invalid=snap.invalid,
                                          month_uri=month_uri), in_nav=True)


def _month_page(month: str, records: list[Record], snap: Snapshot, L: Labels, directory_urls: bool) -> Page:
    return html_page(month_uri(month), "changes_month.html.j2", f"{L.changes} {month}",
                     L=L, records=records, now=snap.now, change_uri=change_uri,
                     link=linker(month_uri(month), directory_urls))
