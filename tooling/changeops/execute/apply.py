"""`apply --due`: every change that is due now, one after another."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from changeops.estate.layout import Estate
from changeops.execute.pipeline import RunOutcome, load_change, run_change
from changeops.execute.run_record import now_utc, read_summaries
from changeops.policy.context import utc


def due_changes(estate: Estate, at: datetime) -> list[str]:
    """Changes whose window contains ``at`` and that have not run yet (approval and freezes are judged by run)."""
    due = []
    for path in estate.record_files():
        change_id = path.parent.name
        if read_summaries(estate, change_id):
            continue
        try:
            change = load_change(estate, change_id)
        except Exception:  # noqa: BLE001 - an invalid record is validate's business, not apply's
            continue
        if utc(change.window.start) <= utc(at) <= utc(change.window.end):
            due.append(change_id)
    return due


def apply_due(estate: Estate, *, at: datetime | None = None, overlays: list[Path] | tuple[Path, ...] = (),
              trusted_ref: str | None = None) -> list[RunOutcome]:
    """Run every due change; refusals (not approved, frozen, locked) are outcomes like the rest.

    ``at`` (lab runs only) is passed on to each run, which refuses it when the run is not a lab run.
    """
    moment = at or now_utc()
    return [run_change(estate, change_id, at=at, overlays=overlays, trusted_ref=trusted_ref)
            for change_id in due_changes(estate, moment)]
