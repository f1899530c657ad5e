"""Checks on one record that the schema cannot express: consistency between its own fields."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from typing import Any

from changeops.records.fields import id_date
from changeops.records.model import ChangeBase, EmergencyChange, MoveChange, UpgradeChange

Issue = tuple[str, tuple[Any, ...], str, str]
"""(rule, path in the record, message, hint)."""


def record_issues(change: ChangeBase, folder: str) -> Iterator[Issue]:
    """Everything inconsistent inside ``change``, which lives in ``changes/<folder>/``."""
    yield from _identity(change, folder)
    yield from _model(change)
    yield from _targets(change)
    if isinstance(change, UpgradeChange):
        yield from _upgrade(change)
    if isinstance(change, MoveChange):
        yield from _move(change)
    if change.incident is not None:
        yield from _incident_times(change)


def _identity(change: ChangeBase, folder: str) -> Iterator[Issue]:
    if change.id != folder:
        yield ("id-folder", ("id",), f"the ID {change.id} does not match its folder changes/{folder}/",
               f"rename the folder to changes/{change.id}/ or set `id: {folder}`")
    start = change.window.start
    if id_date(change.id) != start.date():
        yield ("id-date", ("id",), f"the ID's date is not the window's start date {start.date():%Y%m%d}",
               f"IDs start with the window's start date: CHG-{start:%Y%m%d}-...")


def _model(change: ChangeBase) -> Iterator[Issue]:
    if isinstance(change, EmergencyChange) and change.model != "emergency":
        yield ("emergency-model", ("model",), "an emergency change must have `model: emergency`",
               "set `model: emergency`, or choose another `type`")
    if change.model == "emergency" and change.incident is None:
        yield ("emergency-incident", ("model",), "an emergency-model change names no incident",
               "add `incident:` with ticket, severity, declared, symptom and business_impact")


def _targets(change: ChangeBase) -> Iterator[Issue]:
    for target, count in Counter(change.targets).items():
        if count > 1:
            index = len(change.targets) - 1 - change.targets[::-1].index(target)
            yield ("targets-duplicate", ("targets", index), f"target `{target}` is listed {count} times",
                   "list each host or group once")


def _upgrade(change: UpgradeChange) -> Iterator[Issue]:
    upgrade = change.upgrade
    if upgrade.from_version == upgrade.to_version:
        yield ("upgrade-versions", ("upgrade", "to_version"), "the upgrade goes to the version it comes from",
               "set `to_version` to the target release")
    chosen = [i for i, option in enumerate(upgrade.options) if option.chosen]
    if len(chosen) != 1:
        yield ("upgrade-options", ("upgrade", "options"), f"{len(chosen)} options are marked chosen",
               "mark exactly one of the options considered with `chosen: true`")


def _move(change: MoveChange) -> Iterator[Issue]:
    move = change.move
    if move.origin == move.to:
        yield ("move-same-location", ("move", "to"), "the move's `to` is the same as its `from`",
               "give the new site, room, rack and unit")
    if move.device not in change.targets:
        yield ("move-target", ("move", "device"), f"the moved device `{move.device}` is not a target of the change",
               f"add `{move.device}` to `targets`")


def _incident_times(change: ChangeBase) -> Iterator[Issue]:
    incident = change.incident
    assert incident is not None
    if incident.detected is not None and incident.detected > incident.declared:
        yield ("incident-times", ("incident", "detected"), "the fault is detected after it was declared",
               "a fault is detected, then declared: check both times")
    if incident.restored is not None and incident.restored < incident.declared:
        yield ("incident-times", ("incident", "restored"), "service is restored before the fault was declared",
               "check `restored` and `declared`")
