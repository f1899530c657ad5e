"""`show` output about interfaces, neighbours and routes.

An interface is up/up unless its configuration says ``shutdown``; CDP reports
the cable of each port (``Port.peer``/``peer_port``), so rewiring a port in the
lab changes what `show cdp neighbors` prints. Static default routes pick the
lowest distance whose interface is up, which is what a failover drill watches.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable

from changeops_lab.device import DeviceState
from changeops_lab.interface_names import canonical
from changeops_lab.interface_names import short as short_name

Lookup = Callable[[str], DeviceState | None]


def _status(device: DeviceState, name: str) -> tuple[str, str]:
    return ("administratively down", "down") if device.is_shutdown(name) else ("up", "up")


def _address(device: DeviceState, name: str) -> str | None:
    line = device.running.value([f"interface {name}"], "ip", "address")
    return line.split()[2] if line and len(line.split()) >= 4 else None


def _mask_bits(device: DeviceState, name: str) -> int:
    line = device.running.value([f"interface {name}"], "ip", "address")
    mask = line.split()[3] if line and len(line.split()) >= 4 else "255.255.255.255"
    return sum(int(octet).bit_count() for octet in mask.split(".") if octet.isdigit())


def _mac(device: DeviceState, name: str) -> str:
    digest = hashlib.md5(f"{device.serial}/{name}".encode()).hexdigest()
    return f"{digest[0:4]}.{digest[4:8]}.{digest[8:12]}"


def system_mac(device: DeviceState) -> str:
    """The chassis MAC address (LACP's system id), derived from the serial number like the port MACs."""
    return _mac(device, "chassis")


def show_ip_interface_brief(device: DeviceState) -> str:
    lines = [f"{'Interface':<23}{'IP-Address':<16}OK? Method {'Status':<22}Protocol"]
    for name in device.port_names():
        status, protocol = _status(device, name)
        lines.append(f"{name:<22} {_address(device, name) or 'unassigned':<16}YES NVRAM  {status:<22}{protocol}")
    return "\n".join(lines)


def show_interfaces(device: DeviceState, only: str | None = None) -> str:
    """`show interfaces [NAME]`; NAME as IOS accepts it (``lo888``, ``loopback 888``)."""
    wanted = canonical(only) if only else None
    names = [n for n in device.port_names() if only is None or n == wanted]
    if not names:
        return "                 ^\n% Invalid input detected at '^' marker."
    return "\n".join(_interface_block(device, name) for name in names)


# type: (hardware on a Catalyst switch, Kbit/s, speed as IOS-XE routers / Catalyst switches print it, media)
_PORT_TYPES = {
    "GigabitEthernet": ("Gigabit Ethernet", 1000000, ("1000Mbps", "1000Mb/s"), "RJ45"),
    "TenGigabitEthernet": ("Ten Gigabit Ethernet", 10000000, ("10000Mbps", "10Gb/s"), "SFP-10GBase-SR"),
    "TwentyFiveGigE": ("Twenty Five Gigabit Ethernet", 25000000, ("25000Mbps", "25Gb/s"), "SFP-25GBase-SR"),
    "FortyGigabitEthernet": ("Forty Gigabit Ethernet", 40000000, ("40000Mbps", "40Gb/s"), "QSFP 40GE SR"),
    "HundredGigE": ("Hundred Gigabit Ethernet", 100000000, ("100000Mbps", "100Gb/s"), "QSFP 100GE SR"),
}
_VIRTUAL = {"Loopback": ("Loopback", 1514, 8000000, 5000, "LOOPBACK"), "Vlan": ("Ethernet SVI", 1500, 1000000, 10, "ARPA"),
            "Tunnel": ("Tunnel", 9976, 100, 50000, "TUNNEL"), "Port-channel": ("EtherChannel", 1500, 1000000, 10, "ARPA")}


def _interface_block(device: DeviceState, name: str) -> str:
    status, protocol = _status(device, name)
    description = device.running.value([f"interface {name}"], "description")
    address = _address(device, name)
    kind = name.rstrip("0123456789/.:")
    virtual = _VIRTUAL.get(kind)
    mac = _mac(device, name)
    if virtual is not None:
        hardware = f"  Hardware is {virtual[0]}" + (f", address is {mac} (bia {mac})" if kind != "Loopback" else "")
    else:
        hardware = f"  Hardware is {_hardware(device, name, kind)}, address is {mac} (bia {mac})"
    lines = [f"{name} is {status}, line protocol is {protocol} ", hardware]
    if description:
        lines.append(f"  Description: {description.split(None, 1)[1]}")
    if address:
        lines.append(f"  Internet address is {address}/{_mask_bits(device, name)}")
    if virtual is not None:
        lines += [f"  MTU {virtual[1]} bytes, BW {virtual[2]} Kbit/sec, DLY {virtual[3]} usec,",
                  "     reliability 255/255, txload 1/255, rxload 1/255",
                  f"  Encapsulation {virtual[4]}, loopback not set", "  Keepalive set (10 sec)"]
    else:
        _, kbit, speeds, media = _PORT_TYPES.get(kind, _PORT_TYPES["GigabitEthernet"])
        management = name in ("GigabitEthernet0", "GigabitEthernet0/0")
        duplex = f"Full-duplex, {speeds[1]}" if device.is_switch else f"Full Duplex, {speeds[0]}"
        lines += [f"  MTU 1500 bytes, BW {kbit} Kbit/sec, DLY 10 usec,",
                  "     reliability 255/255, txload 1/255, rxload 1/255",
                  "  Encapsulation ARPA, loopback not set", "  Keepalive set (10 sec)",
                  f"  {duplex}, link type is auto, media type is {'RJ45' if management else media}",
                  "  output flow-control is unsupported, input flow-control is unsupported"]
    lines += ["  ARP type: ARPA, ARP Timeout 04:00:00",
              "  Last input 00:00:00, output 00:00:00, output hang never",
              '  Last clearing of "show interface" counters never',
              "  Input queue: 0/375/0/0 (size/max/drops/flushes); Total output drops: 0",
              "  Queueing strategy: fifo",
              "  Output queue: 0/40 (size/max)",
              "  5 minute input rate 1000 bits/sec, 2 packets/sec",
              "  5 minute output rate 1000 bits/sec, 2 packets/sec",
              *_counters(device, name)]
    return "\n".join(lines)


def _hardware(device: DeviceState, name: str, kind: str) -> str:
    """What `Hardware is` says of a physical port: the management port, a Catalyst port type, a router's EPA."""
    if name in ("GigabitEthernet0", "GigabitEthernet0/0"):
        return "RP management port"
    if device.is_switch:
        return _PORT_TYPES.get(kind, _PORT_TYPES["GigabitEthernet"])[0]
    return "BUILT-IN-EPA-8x10G" if kind == "TenGigabitEthernet" else "BUILT-IN-4x1GE"


def _counters(device: DeviceState, name: str) -> list[str]:
    """Packet and error counters since boot: 2 packets/s each way, errors only where a fault puts them."""
    now = time.time()
    seconds = 0 if device.is_shutdown(name) else int(now - device.booted_at)
    packets_in, packets_out = 2 * seconds + 12, 2 * seconds + 15
    crc = device.health.crc[name].at(now) if name in device.health.crc else 0
    resets = 1 + (1 if device.health.flapped_at is not None and name in device.health.flapped_ports else 0)
    return [f"     {packets_in} packets input, {packets_in * 64} bytes, 0 no buffer",
            f"     Received {seconds // 30} broadcasts (0 IP multicasts)",
            "     0 runts, 0 giants, 0 throttles ",
            f"     {crc} input errors, {crc} CRC, 0 frame, 0 overrun, 0 ignored",
            f"     0 watchdog, {seconds // 10} multicast, 0 pause input",
            f"     {packets_out} packets output, {packets_out * 64} bytes, 0 underruns",
            "     Output 0 broadcasts (0 IP multicasts)",
            f"     0 output errors, 0 collisions, {resets} interface resets",
            "     0 unknown protocol drops",
            "     0 babbles, 0 late collision, 0 deferred",
            "     0 lost carrier, 0 no carrier, 0 pause output",
            "     0 output buffer failures, 0 output buffers swapped out"]


def show_ip_interface(device: DeviceState) -> str:
    blocks = []
    for name in device.port_names():
        status, protocol = _status(device, name)
        address = _address(device, name)
        detail = f"  Internet address is {address}/{_mask_bits(device, name)}" if address else \
            "  Internet protocol processing disabled"
        blocks.append(f"{name} is {status}, line protocol is {protocol}\n{detail}")
    return "\n".join(blocks)


def show_interfaces_status(device: DeviceState) -> str:
    lines = [f"{'Port':<13}{'Name':<19}{'Status':<13}{'Vlan':<11}Duplex  Speed Type"]
    for name in device.port_names():
        description = (device.running.value([f"interface {name}"], "description") or "description ").split(None, 1)
        text = description[1] if len(description) > 1 else ""
        state = "disabled" if device.is_shutdown(name) else "connected"
        lines.append(f"{short_name(name):<13}{text[:18]:<19}{state:<13}{'routed':<11}  full  a-1000 SFP")
    return "\n".join(lines)


def _neighbours(device: DeviceState, lookup: Lookup) -> list[tuple[str, str, str, DeviceState | None]]:
    """(local port, peer, peer port, peer device) for every cabled port that is not shut."""
    return [(p.name, p.peer, p.peer_port or "", lookup(p.peer)) for p in device.ports
            if p.peer and not device.is_shutdown(p.name)]


def show_cdp_neighbors(device: DeviceState, lookup: Lookup) -> str:
    lines = ["Capability Codes: R - Router, T - Trans Bridge, B - Source Route Bridge",
             "                  S - Switch, H - Host, I - IGMP, r - Repeater, P - Phone,",
             "                  D - Remote, C - CVTA, M - Two-port Mac Relay", "",
             "Device ID        Local Intrfce     Holdtme    Capability  Platform  Port ID"]
    found = _neighbours(device, lookup)
    for local, peer, peer_port, other in found:
        platform = other.model[:9] if other else "unknown"
        capability = "S I" if other and other.is_switch else "R I"
        lines.append(f"{peer:<17}{short_name(local):<18}{137:<11}{capability:>10}  {platform:<10}"
                     f"{short_name(peer_port)}")
    return "\n".join(lines + ["", f"Total cdp entries displayed : {len(found)}"])


def show_cdp_neighbors_detail(device: DeviceState, lookup: Lookup) -> str:
    blocks = []
    for local, peer, peer_port, other in _neighbours(device, lookup):
        platform = f"cisco {other.model}" if other else "cisco unknown"
        address = other.mgmt_address if other else "0.0.0.0"
        version = other.version if other else "unknown"
        blocks.append("\n".join([
            "-------------------------", f"Device ID: {peer}", "Entry address(es): ", f"  IP address: {address}",
            f"Platform: {platform},  Capabilities: Router Switch IGMP ",
            f"Interface: {local},  Port ID (outgoing port): {peer_port}", "Holdtime : 137 sec", "",
            "Version :", f"Cisco IOS Software [Cupertino], Version {version}, RELEASE SOFTWARE (fc3)", "",
            "advertisement version: 2", "Duplex: full", ""]))
    return "\n".join(blocks + [f"Total cdp entries displayed : {len(blocks)}"])


def show_cdp() -> str:
    return ("Global CDP information:\n\tSending CDP packets every 60 seconds\n"
            "\tSending a holdtime value of 180 seconds\n\tSending CDPv2 advertisements is  enabled")


def _static_routes(device: DeviceState, prefix: str) -> list[tuple[int, str]]:
    """(distance, interface) of each static route for ``prefix`` whose interface is up, best first."""
    routes = []
    for line in device.running.lines(("ip", "route", prefix)):
        words = line.words()
        if len(words) < 5 or device.is_shutdown(words[4]):
            continue
        distance = int(words[5]) if len(words) > 5 and words[5].isdigit() else 1
        routes.append((distance, words[4]))
    return sorted(routes)


def show_ip_route_prefix(device: DeviceState, prefix: str) -> str:
    routes = _static_routes(device, prefix)
    if not routes:
        return "% Network not in table"
    distance, interface = routes[0]
    return "\n".join([f"Routing entry for {prefix}/0, supernet",
                      f'  Known via "static", distance {distance}, metric 0 (connected), candidate default path',
                      "  Routing Descriptor Blocks:", f"  * directly connected, via {interface}",
                      "      Route metric is 0, traffic share count is 1"])


def show_ip_route_summary(device: DeviceState) -> str:
    connected = sum(1 for n in device.port_names() if _address(device, n) and not device.is_shutdown(n))
    static = 1 if _static_routes(device, "0.0.0.0") else 0
    return "\n".join([
        "IP routing table name is default (0x0)", "IP routing table maximum-paths is 32",
        "Route Source    Networks    Subnets     Replicates  Overhead    Memory (bytes)",
        f"connected       0           {connected * 2:<12}0           {connected * 192:<12}{connected * 608}",
        f"static          {static:<12}0           0           {static * 96:<12}{static * 304}",
        "internal        2                                               2496",
        (f"Total           {static + 2:<12}{connected * 2:<12}0           {connected * 192 + static * 96:<12}"
         f"{2496 + connected * 608 + static * 304}"),
    ])


def show_ip_route(device: DeviceState) -> str:
    lines = ["Codes: L - local, C - connected, S - static, R - RIP, M - mobile, B - BGP", "",
             "Gateway of last resort is 0.0.0.0 to network 0.0.0.0", ""]
    routes = _static_routes(device, "0.0.0.0")
    if routes:
        lines.append(f"S*    0.0.0.0/0 is directly connected, {routes[0][1]}")
    for name in device.port_names():
        address = _address(device, name)
        if address and not device.is_shutdown(name):
            lines.append(f"L        {address}/32 is directly connected, {name}")
    return "\n".join(lines)


def show_vlan(device: DeviceState) -> str | None:
    """`show vlan brief` on a switch; None on a router (the command does not exist there)."""
    if not device.is_switch:
        return None
    return ("VLAN Name                             Status    Ports\n"
            "---- -------------------------------- --------- -------------------------------\n"
            "1    default                          active    \n"
            "1002 fddi-default                     act/unsup ")
