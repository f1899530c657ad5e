"""The device archive (设备档案): one page per inventory host with its facts, changes and history."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime

from changeops.publish.change_pages import change_uri, device_uri
from changeops.publish.device_archive import archive_files, archive_view, read_archives
from changeops.publish.inspection_report import report_uri
from changeops.publish.labels import labels_for
from changeops.publish.rendering import Page, html_page, linker, render
from changeops.publish.runbook_pages import runbook_uri
from changeops.publish.snapshot import Record, Snapshot
from changeops.records.fields import text_in
from changeops.records.inspection_result import Anomaly, InspectionResult, latest_result
from changeops.records.model import DrillChange, InspectionChange, MoveChange, PatchChange, UpgradeChange


@dataclass(frozen=True)
class Cover:
    """An emergency plan that covers a device, and the drills of it that touched the device (newest first)."""

    title: str
    uri: str
    rto_minutes: int | None
    drills: tuple[Record, ...]


@dataclass(frozen=True)
class HistoryEntry:
    moment: datetime
    change_id: str
    what: str


def device_pages(snap: Snapshot, directory_urls: bool) -> Iterator[Page]:
    """The archive index (by site) and a page per host."""
    L = labels_for(snap.language)
    touching = snap.by_host()
    archives = read_archives(snap)
    inspected = last_inspections(snap)
    yield from archive_files(snap, archives)
    for host in sorted(snap.inventory.hosts):
        src = device_uri(host)
        records = touching.get(host, [])
        yield html_page(src, "device.html.j2", f"{L.device} {host}", L=L, host=host,
                        facts=snap.inventory.facts.get(host), records=records, now=snap.now,
                        link=linker(src, directory_urls), change_uri=change_uri, device_uri=device_uri,
                        known=snap.inventory.hosts, history=device_history(host, records),
                        covers=plans_covering(snap, host, records), archive=archive_view(snap, archives, host),
                        known_changes={r.id for r in snap.records}, zone=snap.site_zone(),
                        inspection=inspected.get(host), report_uri=report_uri)
    sites: dict[str, list[str]] = {}
    for host in sorted(snap.inventory.hosts):
        facts = snap.inventory.facts.get(host)
        sites.setdefault(facts.site if facts else "?", []).append(host)
    yield Page("devices/index.md", render("devices_index.md.j2", L=L, sites=sites, facts=snap.inventory.facts,
                                          counts={h: len(r) for h, r in touching.items()},
                                          problems=len(snap.inventory.findings)), in_nav=True)


def plans_covering(snap: Snapshot, host: str, records: list[Record]) -> list[Cover]:
    """The emergency plans whose scope names ``host`` or that were drilled on it, with those drills.

    Only the scope counts: a plan's text names other devices too (where to look, whom to call).
    """
    named = re.compile(rf"(?<![\w.-]){re.escape(host)}(?![\w-])")
    covers = []
    for runbook, _ in snap.runbooks:
        meta = runbook.meta
        if meta is None or meta.kind != "emergency-plan":
            continue
        name = runbook.path.relative_to(snap.estate.runbooks).as_posix()
        drills = tuple(r for r in reversed(records)
                       if isinstance(r.change, DrillChange) and r.change.drill.runbook == name)
        if drills or named.search(f"{text_in(meta.scope, 'en')}\n{text_in(meta.scope, 'zh')}"):
            title = meta.title_zh if snap.language == "zh" and meta.title_zh else meta.title
            rto = meta.objectives.rto_minutes if meta.objectives else None
            covers.append(Cover(title, runbook_uri(snap, runbook), rto, drills))
    return covers


def device_history(host: str, records: list[Record]) -> list[HistoryEntry]:
    """Software versions and locations changed by completed runs of the changes touching ``host``, oldest first."""
    entries: list[HistoryEntry] = []
    for record in records:
        for run in record.runs:
            if run.result == "completed":
                entries += _changed_by(host, record, run.moment)
    return sorted(entries, key=lambda e: (e.moment, e.change_id))


def _changed_by(host: str, record: Record, moment: datetime) -> list[HistoryEntry]:
    change = record.change
    if isinstance(change, UpgradeChange):
        return [HistoryEntry(moment, record.id, f"{change.upgrade.from_version} → {change.upgrade.to_version}")]
    if isinstance(change, PatchChange):
        return [HistoryEntry(moment, record.id, f"+ {change.patch.image.file}")]
    if isinstance(change, MoveChange) and change.move.device == host:
        origin, to = change.move.origin, change.move.to
        return [HistoryEntry(moment, record.id, f"{origin.site}/{origin.room}/{origin.rack}/U{origin.unit} → "
                                                f"{to.site}/{to.room}/{to.rack}/U{to.unit}")]
    return []


@dataclass(frozen=True)
class LastInspection:
    """A device's status in the newest inspection that reached it (巡检, 2.3.3), with its anomalies."""

    record: Record
    result: InspectionResult
    status: str
    anomalies: list[Anomaly]


def last_inspections(snap: Snapshot) -> dict[str, LastInspection]:
    """Per host, the newest inspection run whose result names it (inspected or not reachable)."""
    found: dict[str, LastInspection] = {}
    results = [(result, record) for record in snap.records if isinstance(record.change, InspectionChange)
               if (result := latest_result(record.folder)) is not None]
    for result, record in sorted(results, key=lambda item: item[0].inspected):
        for host in [*(d.host for d in result.devices), *result.not_inspected]:
            found[host] = LastInspection(record, result, result.status(host),
                                         [a for a in result.anomalies if a.host == host])
    return found
