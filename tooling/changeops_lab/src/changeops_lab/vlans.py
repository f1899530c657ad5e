"""The VLAN database of a switch, as `show vlan` prints it, kept in the running-config tree.

A VLAN is a ``vlan N`` section (as on a switch in VTP transparent mode or
VTP off, where IOS-XE prints the VLANs in the running configuration) with
``name``, ``state suspend``, ``shutdown`` and ``mtu`` under it. The default
VLANs (1 and 1002-1005) are always there, never printed, and cannot be
deleted; `state active` is the default and not kept, so that what
``ios_vlans`` reads back from `show vlan` is what it configured.
"""

from __future__ import annotations

from dataclasses import dataclass

from changeops_lab.device import DeviceState
from changeops_lab.interface_names import short as short_name

DEFAULT_VLANS: tuple[tuple[int, str, str, str], ...] = (
    # id, name, type, bridge mode as `show vlan` prints it
    (1, "default", "enet", "-"), (1002, "fddi-default", "fddi", "-"), (1003, "token-ring-default", "tr", "-"),
    (1004, "fddinet-default", "fdnet", "ieee"), (1005, "trnet-default", "trnet", "ibm"),
)
_DEFAULT_IDS = {vid for vid, *_ in DEFAULT_VLANS}
_RULE = "---- -------------------------------- --------- -------------------------------"
_PORTS_WIDTH = 31


@dataclass(frozen=True)
class Vlan:
    vlan_id: int
    name: str
    suspended: bool = False
    shutdown: bool = False
    mtu: int = 1500
    kind: str = "enet"
    bridge_mode: str = "-"

    @property
    def status(self) -> str:
        if self.vlan_id in (1002, 1003, 1004, 1005):
            return "act/unsup"
        if self.shutdown:
            return "sus/lshut" if self.suspended else "act/lshut"
        return "suspended" if self.suspended else "active"


def refusal(line: str) -> str:
    """IOS's answer to a line that touches a default VLAN the way IOS forbids, else ''."""
    words = line.split()
    if words[:2] == ["no", "vlan"] and len(words) == 3 and words[2].isdigit() and int(words[2]) in _DEFAULT_IDS:
        return f"%Default VLAN {words[2]} may not be deleted."
    return ""


def vlans(device: DeviceState) -> list[Vlan]:
    """Every VLAN of the device, the default ones included, by number."""
    found = {vid: Vlan(vid, name, kind=kind, bridge_mode=mode) for vid, name, kind, mode in DEFAULT_VLANS}
    for section in device.running.lines(("vlan",)):
        words = section.words()
        if len(words) != 2 or not words[1].isdigit() or int(words[1]) in _DEFAULT_IDS:
            continue
        vid = int(words[1])
        lines = [child.text for child in section.children]
        name = next((line.split(None, 1)[1] for line in lines if line.startswith("name ")), f"VLAN{vid:04d}")
        mtu = next((int(line.split()[1]) for line in lines if line.startswith("mtu ") and line.split()[1].isdigit()),
                   1500)
        found[vid] = Vlan(vid, name, suspended="state suspend" in lines, shutdown="shutdown" in lines, mtu=mtu)
    return [found[vid] for vid in sorted(found)]


def _access_ports(device: DeviceState) -> dict[int, list[str]]:
    """Access ports by VLAN: ``switchport access vlan N`` (VLAN 1 for ``switchport mode access`` alone)."""
    ports: dict[int, list[str]] = {}
    for name in device.port_names():
        section = device.running.section([f"interface {name}"])
        lines = [child.text for child in section.children] if section else []
        vlan = next((line.split()[3] for line in lines if line.startswith("switchport access vlan ")), None)
        if vlan is None and "switchport mode access" not in lines:
            continue
        ports.setdefault(int(vlan) if vlan and vlan.isdigit() else 1, []).append(short_name(name))
    return ports


def _port_lines(ports: list[str]) -> list[str]:
    """The Ports column wrapped as IOS wraps it: lines of at most 31 characters, the comma only between ports."""
    lines = [""]
    for port in ports:
        candidate = f"{lines[-1]}, {port}" if lines[-1] else port
        if len(candidate) > _PORTS_WIDTH:
            lines.append(port)
        else:
            lines[-1] = candidate
    return lines


def show_vlan(device: DeviceState, brief: bool) -> str | None:
    """`show vlan [brief]` on a switch; None on a router (the command does not exist there)."""
    if not device.is_switch:
        return None
    ports = _access_ports(device)
    out = ["", "VLAN Name                             Status    Ports", _RULE]
    for vlan in vlans(device):
        wrapped = _port_lines(ports.get(vlan.vlan_id, []))
        out.append(f"{vlan.vlan_id:<4} {vlan.name[:32]:<32} {vlan.status:<9} {wrapped[0]}")
        out += [" " * 48 + more for more in wrapped[1:]]
    if brief:
        return "\n".join(out)
    out += ["", "VLAN Type  SAID       MTU   Parent RingNo BridgeNo Stp  BrdgMode Trans1 Trans2",
            "---- ----- ---------- ----- ------ ------ -------- ---- -------- ------ ------"]
    for vlan in vlans(device):
        out.append(f"{vlan.vlan_id:<4} {vlan.kind:<5} {100000 + vlan.vlan_id:<10} {vlan.mtu:<5} -      -      -        "
                   f"{vlan.bridge_mode:<4} -        0      0")
    out += ["", "Remote SPAN VLANs", "-" * 78, "", "",
            "Primary Secondary Type              Ports",
            "------- --------- ----------------- ------------------------------------------", ""]
    return "\n".join(out)
