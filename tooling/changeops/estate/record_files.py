"""A change's record file, found by its ID and read once.

The ID is checked before it becomes a path: ``changes/<ID>/change.yaml`` with an ID of the
form ``CHG-YYYYMMDD-<slug>``, never a path, a pattern or a symlink leading elsewhere.
Every command that works on one change (approve, digest, run, show, the derived state)
comes through here, so none of them depends on the whole validator.
"""

from __future__ import annotations

from pathlib import Path

from changeops.errors import UsageError
from changeops.estate.layout import RECORD_NAME, Estate
from changeops.records.fields import ID_PATTERN
from changeops.records.model import ChangeBase, read_change


def record_file_for(estate: Estate, change_id: str) -> Path:
    """``changes/<ID>/change.yaml``; a usage error for a malformed ID, a symlink or a missing record."""
    if not ID_PATTERN.match(change_id):
        raise UsageError(f"{change_id!r} is not a change ID (CHG-YYYYMMDD-<slug>); name changes by ID, not by path")
    folder = estate.changes / change_id
    path = folder / RECORD_NAME
    if folder.is_symlink() or path.is_symlink():
        raise UsageError(f"{estate.relative(path)} is a symlink; a record must be a file in its own folder")
    if not path.is_file():
        raise UsageError(f"no change {change_id} (looked for {estate.relative(path)})")
    return path


def valid_record(estate: Estate, change_id: str) -> tuple[Path, ChangeBase]:
    """The record file of ``change_id`` and its change; a usage error when it does not parse or its ID differs."""
    path = record_file_for(estate, change_id)
    change = read_change(path.read_bytes())
    if change is None:
        raise UsageError(f"{change_id} is not a valid record; run: changeops validate {estate.relative(path)}")
    if change.id != change_id:
        raise UsageError(f"{estate.relative(path)} says id {change.id}, not {change_id}: the folder and the "
                         "record's id must agree")
    return path, change
