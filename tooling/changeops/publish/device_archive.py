"""The configuration part of a device page: the archived configuration, its last difference, captures, drift, parts.

Everything comes from :mod:`changeops.estate.archive` and :mod:`changeops.estate.drift`
(read once per build); configuration text is device output, so the template shows it as
escaped text only, and the published configuration files pass the site's masking as the
run backups do.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import tzinfo

from changeops.estate.archive import Capture, DeviceArchive, Part, config_text
from changeops.estate.drift import ArchiveReport, Drift, archive_report, unified_diff
from changeops.publish.masking import mask_secrets
from changeops.publish.rendering import Page
from changeops.publish.snapshot import Snapshot


@dataclass(frozen=True)
class CaptureRow:
    """One line of the capture history."""

    capture: Capture
    published: str
    """The site path of its configuration file."""
    changed: bool
    """Whether its configuration differs from the capture before it."""


@dataclass(frozen=True)
class ArchiveView:
    """What the device page shows of the archive."""

    latest: Capture | None = None
    config: str = ""
    diff: tuple[str, ...] = ()
    diff_from: Capture | None = None
    rows: list[CaptureRow] = field(default_factory=list)
    """Newest first."""
    drifts: list[Drift] = field(default_factory=list)
    parts: tuple[Part, ...] = ()
    problems: int = 0


def read_archives(snap: Snapshot) -> ArchiveReport:
    """Every device archive and its drift, read once per build (device pages and summaries share it)."""
    if "archives" not in snap.memo:
        snap.memo["archives"] = archive_report(snap.estate, snap.inventory)
    report: ArchiveReport = snap.memo["archives"]
    return report


def archive_view(snap: Snapshot, report: ArchiveReport, host: str) -> ArchiveView:
    """The archive of ``host`` as its page shows it (empty when it has none)."""
    archive = report.archives.get(host)
    if archive is None or not archive.captures:
        return ArchiveView(problems=len(archive.findings) if archive else 0)
    latest = archive.captures[-1]
    earlier = next((c for c in reversed(archive.captures) if c.digest != latest.digest), None)
    current = mask_secrets(config_text(snap.estate, latest))
    diff = unified_diff(mask_secrets(config_text(snap.estate, earlier)), current, old=earlier.config_file,
                        new=latest.config_file) if earlier else ()
    return ArchiveView(latest, current, diff, earlier, _rows(archive), report.drifts.get(host, []), archive.parts(),
                       len(archive.findings))


def _rows(archive: DeviceArchive) -> list[CaptureRow]:
    rows = []
    previous: Capture | None = None
    for capture in archive.captures:
        rows.append(CaptureRow(capture, capture.config_file, previous is None or previous.digest != capture.digest))
        previous = capture
    return rows[::-1]


def archive_files(snap: Snapshot, report: ArchiveReport) -> Iterator[Page]:
    """Every archived configuration file, masked, as a download beside the device pages."""
    seen = set()
    for archive in report.archives.values():
        for capture in archive.captures:
            if capture.config_file not in seen:
                seen.add(capture.config_file)
                yield Page(capture.config_file, mask_secrets(config_text(snap.estate, capture)))


def drifts_between(report: ArchiveReport, month: str, zone: tzinfo) -> list[Drift]:
    """The drift found in ``month`` (``YYYY-MM`` in ``zone``, when the capture that showed it was taken)."""
    found = [d for drifts in report.drifts.values() for d in drifts
             if f"{d.current.time.astimezone(zone):%Y-%m}" == month]
    return sorted(found, key=lambda d: (d.host, d.current.time))
