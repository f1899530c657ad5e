"""The lab's routing control plane: OSPF and iBGP adjacencies over the cabling between routers.

Every router and firewall runs OSPF process 1 on its cabled ports (point-to-point)
and becomes adjacent to each routing device at the far end of a cable that is
not shut; routers also peer in iBGP (AS 64512) with those neighbours, between
loopbacks. Switches run neither. An adjacency is up since both ends booted or
since the last flap of either end (the `neighbour-flap` fault).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from changeops_lab.device import DeviceState
from changeops_lab.show_network import Lookup

OSPF_PROCESS = 1
LOCAL_AS = 64512


@dataclass(frozen=True)
class Adjacency:
    interface: str  # the local port
    peer: DeviceState
    router_id: str  # the peer's Loopback0
    address: str  # the peer's address on the link
    up_since: float


def runs_ospf(device: DeviceState) -> bool:
    return "router" in device.role or "firewall" in device.role


def runs_bgp(device: DeviceState) -> bool:
    return "router" in device.role


def adjacencies(device: DeviceState, lookup: Lookup) -> list[Adjacency]:
    """The OSPF neighbours of ``device``, one per cabled port to another routing device."""
    if not runs_ospf(device):
        return []
    found = []
    for port in device.ports:
        peer = lookup(port.peer) if port.peer else None
        if peer is None or not runs_ospf(peer) or device.is_shutdown(port.name):
            continue
        if port.peer_port and peer.is_shutdown(port.peer_port):
            continue
        _, theirs = link_addresses(device.name, port.name, peer.name, port.peer_port or "")
        since = max(device.booted_at, peer.booted_at, _flapped(device, port.name), _flapped(peer, port.peer_port))
        found.append(Adjacency(port.name, peer, peer.mgmt_address, theirs, since))
    return found


def _flapped(device: DeviceState, port: str | None) -> float:
    """When the link on ``port`` last came back up after a `neighbour-flap` (0: never)."""
    health = device.health
    return (health.flapped_at or 0.0) if port in health.flapped_ports else 0.0


def bgp_peers(device: DeviceState, lookup: Lookup) -> list[Adjacency]:
    """The iBGP sessions of ``device`` (routers only): one with each adjacent router, loopback to loopback."""
    if not runs_bgp(device):
        return []
    return [a for a in adjacencies(device, lookup) if runs_bgp(a.peer)]


def link_addresses(host: str, port: str, peer: str, peer_port: str) -> tuple[str, str]:
    """(ours, theirs): the /30 of a link between two routing devices, the same seen from either end."""
    ends = sorted([(host, port), (peer, peer_port)])
    digest = hashlib.md5(repr(ends).encode()).digest()
    base = f"10.255.{digest[0]}.{(digest[1] % 64) * 4}"
    first, second = base.rsplit(".", 1)[0] + f".{int(base.rsplit('.', 1)[1]) + 1}", \
        base.rsplit(".", 1)[0] + f".{int(base.rsplit('.', 1)[1]) + 2}"
    return (first, second) if ends[0] == (host, port) else (second, first)
