"""`show ip ospf neighbor` and `show ip bgp summary` over the lab's adjacencies (``routing.py``)."""

from __future__ import annotations

import time

from changeops_lab.device import DeviceState
from changeops_lab.routing import LOCAL_AS, adjacencies, bgp_peers, runs_bgp
from changeops_lab.show_network import Lookup


def show_ip_ospf_neighbor(device: DeviceState, lookup: Lookup) -> str:
    """Nothing at all where OSPF does not run (as IOS answers), else one row per adjacency."""
    found = adjacencies(device, lookup)
    if not found:
        return ""
    dead = f"00:00:{30 + (39 - int(time.time()) % 10) % 10:02d}"  # a 40 s dead timer, refreshed by hellos
    lines = ["", "Neighbor ID     Pri   State           Dead Time   Address         Interface"]
    for adjacency in found:
        lines.append(f"{adjacency.router_id:<16}{0:>3}   {'FULL/  -':<16}{dead:<12}{adjacency.address:<16}"
                     f"{adjacency.interface}")
    return "\n".join(lines)


def show_ip_bgp_summary(device: DeviceState, lookup: Lookup) -> str:
    if not runs_bgp(device):
        return "% BGP not active"
    peers = bgp_peers(device, lookup)
    now = time.time()
    version = 1 + 4 * len(peers)
    lines = [f"BGP router identifier {device.mgmt_address}, local AS number {LOCAL_AS}",
             f"BGP table version is {version}, main routing table version {version}",
             f"{len(peers) + 1} network entries using {(len(peers) + 1) * 248} bytes of memory",
             f"{len(peers) + 1} path entries using {(len(peers) + 1) * 136} bytes of memory",
             f"{len(peers)}/{len(peers)} BGP path/bestpath attribute entries using {len(peers) * 296} bytes of memory",
             "0 BGP route-map cache entries using 0 bytes of memory",
             "0 BGP filter-list cache entries using 0 bytes of memory",
             f"BGP using {(len(peers) + 1) * 384 + len(peers) * 296} total bytes of memory",
             f"BGP activity {len(peers) + 1}/0 prefixes, {len(peers) + 1}/0 paths, scan interval 60 secs",
             (f"{len(peers) + 1} networks peaked at {time.strftime('%H:%M:%S', time.gmtime(device.booted_at))} "
              f"{time.strftime('%b %d %Y', time.gmtime(device.booted_at))} UTC (00:00:00 ago)"), "",
             "Neighbor        V           AS MsgRcvd MsgSent   TblVer  InQ OutQ Up/Down  State/PfxRcd"]
    for peer in peers:
        up = now - peer.up_since
        messages = 4 + int(up // 60)
        lines.append(f"{peer.router_id:<16}4 {LOCAL_AS:>12}{messages:>8}{messages + 1:>8}{version:>9}{0:>5}{0:>5} "
                     f"{bgp_age(up):<9}{1:>12}")
    return "\n".join(lines)


def bgp_age(seconds: float) -> str:
    """The Up/Down column: ``00:04:12`` under a day, ``1d02h`` under a week, ``2w3d`` under a year, then ``1y2w``."""
    whole = int(seconds)
    days, rest = divmod(whole, 86400)
    if days >= 365:
        return f"{days // 365}y{days % 365 // 7}w"
    if days >= 7:
        return f"{days // 7}w{days % 7}d"
    if days:
        return f"{days}d{rest // 3600:02d}h"
    return _hms(whole)


def _hms(seconds: float) -> str:
    whole = int(seconds)
    return f"{whole // 3600:02d}:{whole % 3600 // 60:02d}:{whole % 60:02d}"

