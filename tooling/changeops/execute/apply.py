"""`apply --due`: every change that is due now, one after another; or a runner's share of them.

A runner inside one customer's network takes only its share: ``node`` keeps the changes
with a target served by that execution node (``policies/nodes.yml``) and runs them there,
``customer`` keeps one customer's changes. The device locks keep two runners off one
device whatever their shares; a change whose targets span nodes is refused by the run,
with a finding naming them, so the runner that picked it up reports it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from changeops.errors import UsageError
from changeops.estate.inventory import load_inventory
from changeops.estate.layout import Estate
from changeops.execute.nodes import node_share, read_nodes
from changeops.execute.pipeline import RunOutcome, load_change, run_change
from changeops.execute.run_record import now_utc, read_summaries
from changeops.policy.context import utc
from changeops.records.model import ChangeBase


@dataclass(frozen=True)
class Share:
    """Which due changes this runner takes: all (both None), one execution node's, one customer's."""

    node: str | None = None
    customer: str | None = None


def due_changes(estate: Estate, at: datetime, share: Share | None = None) -> list[str]:
    """Changes in ``share`` whose window contains ``at`` and that have not run yet.

    Approval and freezes are judged by the run itself.
    """
    due = []
    for path in estate.record_files():
        change_id = path.parent.name
        if read_summaries(estate, change_id):
            continue
        try:
            change = load_change(estate, change_id)
        except Exception:  # noqa: BLE001 - an invalid record is validate's business, not apply's
            continue
        if utc(change.window.start) <= utc(at) <= utc(change.window.end) and _in_share(estate, change, share):
            due.append(change_id)
    return due


def _in_share(estate: Estate, change: ChangeBase, share: Share | None) -> bool:
    if share is None:
        return True
    if share.customer is not None and change.customer != share.customer:
        return False
    if share.node is None:
        return True
    # the run judges the node against the trusted ref; picking the share from the checkout it runs is enough
    nodes, problems = read_nodes(estate.policies)
    if problems:
        return True  # let the run refuse it and say why
    inventory = load_inventory(estate)
    return share.node in node_share(nodes, sorted(inventory.expand(change.targets)), inventory)


def _declared(estate: Estate, node: str) -> None:
    nodes, problems = read_nodes(estate.policies)
    if problems:
        raise UsageError(f"{problems[0].file}:{problems[0].line}: {problems[0].message}")
    if node not in {n.name for n in nodes.every}:
        known = ", ".join(n.name for n in nodes.every) or "none"
        raise UsageError(f"--node {node}: no such execution node in policies/nodes.yml (declared: {known})")


def apply_due(estate: Estate, *, at: datetime | None = None, overlays: list[Path] | tuple[Path, ...] = (),
              trusted_ref: str | None = None, share: Share | None = None) -> list[RunOutcome]:
    """Run every due change of ``share``; refusals (not approved, frozen, locked, span) are outcomes like the rest.

    ``at`` (lab runs only) is passed on to each run, which refuses it when the run is not a lab run.
    With ``share.node``, each change runs on that execution node.
    """
    moment = at or now_utc()
    node = share.node if share else None
    if node is not None:
        _declared(estate, node)
    return [run_change(estate, change_id, at=at, overlays=overlays, trusted_ref=trusted_ref, node=node)
            for change_id in due_changes(estate, moment, share)]
