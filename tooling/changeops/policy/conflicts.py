"""Conflicts: two changes on one device, or on a device and its redundancy peer, in overlapping windows."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from changeops.estate.inventory import Inventory
from changeops.policy.context import PolicyIssue, local, utc
from changeops.records.model import ChangeBase


@dataclass(frozen=True)
class Booking:
    """A change's claim on devices for a span of time: the facts conflict checks need, no more."""

    change_id: str
    customer: str
    start: datetime
    end: datetime
    hosts: frozenset[str]
    peers: dict[str, str] = field(default_factory=dict, hash=False)
    origin: str = ""

    def as_json(self) -> dict[str, Any]:
        return {"id": self.change_id, "customer": self.customer, "start": self.start.isoformat(),
                "end": self.end.isoformat(), "hosts": sorted(self.hosts), "peers": self.peers}

    @classmethod
    def from_json(cls, data: dict[str, Any], origin: str) -> Booking:
        return cls(data["id"], data["customer"], datetime.fromisoformat(data["start"]),
                   datetime.fromisoformat(data["end"]), frozenset(data["hosts"]), dict(data["peers"]), origin)

    def overlaps(self, other: Booking) -> bool:
        return other.start < self.end and self.start < other.end


def booking_of(change: ChangeBase, inventory: Inventory, origin: str = "") -> Booking:
    hosts = inventory.expand(change.targets)
    peers = {f.peer: host for host in sorted(hosts) if (f := inventory.facts.get(host)) and f.peer}
    return Booking(change.id, change.customer, utc(change.window.start), utc(change.window.end),
                   frozenset(hosts), peers, origin)


def check_conflicts(mine: Booking, others: Iterable[Booking], *, include_peers: bool, zone: ZoneInfo,
                    now: datetime) -> Iterator[PolicyIssue]:
    """Every other booking that overlaps ``mine`` on a device or (optionally) a redundancy peer."""
    if mine.end <= now:
        return  # history: what overlapped then is a fact, not a plan to fix
    guarded = set(mine.hosts) | (set(mine.peers) if include_peers else set())
    for other in sorted(others, key=lambda b: (b.start, b.change_id)):
        if other.change_id == mine.change_id or not mine.overlaps(other):
            continue
        shared = sorted(other.hosts & guarded)
        if not shared:
            continue
        what = ", ".join(h if h in mine.hosts else f"{h} (redundancy peer of {mine.peers[h]})" for h in shared)
        yield PolicyIssue(
            "policy-conflict", ("window", "start"),
            f"overlaps {other.change_id} ({other.origin}, {local(other.start, zone)} – {local(other.end, zone)}) "
            f"on {what}",
            "move one of the changes: two changes may not work on one device or on both devices of a redundancy "
            "pair at the same time")
