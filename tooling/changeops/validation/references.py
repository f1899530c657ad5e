"""Checks of what a record points at: inventory hosts and groups, playbooks, runbooks."""

from __future__ import annotations

import difflib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from changeops.estate.inventory import Inventory
from changeops.estate.layout import Estate
from changeops.estate.paths import PathProblem, resolve_inside
from changeops.estate.runbooks import RunbookMeta, read_runbook
from changeops.records.model import ChangeBase, DrillChange, MoveChange
from changeops.records.rules import Issue

PLAYBOOK_SUFFIXES = (".yml", ".yaml")


@dataclass
class References:
    """What records may refer to. Runbook front matter is read on first use."""

    estate: Estate
    inventory: Inventory
    _runbooks: dict[Path, RunbookMeta | None] = field(default_factory=dict)
    _playbooks: dict[str, Path | PathProblem] = field(default_factory=dict)

    def playbook(self, reference: str) -> Path | PathProblem:
        """The playbook file ``reference`` names, resolved once per run."""
        if reference not in self._playbooks:
            self._playbooks[reference] = resolve_inside(self.estate.playbooks, reference, suffixes=PLAYBOOK_SUFFIXES)
        return self._playbooks[reference]

    def runbook(self, path: Path) -> RunbookMeta | None:
        if path not in self._runbooks:
            self._runbooks[path] = read_runbook(self.estate, path)[0].meta
        return self._runbooks[path]


def reference_issues(change: ChangeBase, refs: References) -> Iterator[Issue]:
    yield from _targets(change, refs.inventory)
    for name, step in change.steps().items():
        problem = refs.playbook(step.playbook)
        if isinstance(problem, PathProblem):
            yield problem.rule, (name, "playbook"), problem.message, problem.hint
    if isinstance(change, DrillChange):
        yield from _drill(change, refs)
    if isinstance(change, MoveChange):
        yield from _move(change, refs.inventory)


def _targets(change: ChangeBase, inventory: Inventory) -> Iterator[Issue]:
    for index, target in enumerate(change.targets):
        if not inventory.knows(target):
            close = difflib.get_close_matches(target, [*inventory.hosts, *inventory.groups], n=1)
            hint = f"did you mean `{close[0]}`?" if close else "name a host or group of inventory/hosts.yml"
            yield "target-unknown", ("targets", index), f"`{target}` is not a host or group of the inventory", hint
            continue
        others = sorted(h for h in inventory.expand([target])
                        if (facts := inventory.facts.get(h)) is not None and facts.customer != change.customer)
        if others:
            yield ("target-customer", ("targets", index),
                   f"`{target}` includes {', '.join(others)}, which belong to another customer than {change.customer}",
                   "a change serves one customer: split it, or correct `customer`")


def _drill(change: DrillChange, refs: References) -> Iterator[Issue]:
    found = resolve_inside(refs.estate.runbooks, change.drill.runbook, suffixes=(".md",))
    if isinstance(found, PathProblem):
        yield found.rule, ("drill", "runbook"), found.message, found.hint
        return
    meta = refs.runbook(found)
    if meta is None or meta.kind != "emergency-plan":
        yield ("drill-runbook", ("drill", "runbook"),
               f"runbooks/{change.drill.runbook} is not an emergency plan (front matter `kind: emergency-plan`)",
               "a drill exercises an emergency plan: point at one, or fix that runbook's front matter")


def _move(change: MoveChange, inventory: Inventory) -> Iterator[Issue]:
    move = change.move
    facts = inventory.facts.get(move.device)
    if move.device not in inventory.hosts:
        yield ("move-device", ("move", "device"), f"`{move.device}` is not a host of the inventory",
               "name the device as the inventory does")
        return
    if facts is None:
        return
    here = (facts.site, facts.room, facts.rack, facts.unit)
    origin = (move.origin.site, move.origin.room, move.origin.rack, move.origin.unit)
    target = (move.to.site, move.to.room, move.to.rack, move.to.unit)
    if here not in (origin, target):
        yield ("move-location", ("move", "from"),
               f"the inventory has {move.device} at {facts.site} {facts.room} rack {facts.rack} U{facts.unit}, "
               "which is neither the move's `from` nor its `to`",
               "copy the current location from inventory/host_vars into `from`")
