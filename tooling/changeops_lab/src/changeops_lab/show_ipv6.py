"""`show ipv6 interface [brief]`: the IPv6 addresses of the running configuration.

An interface has IPv6 when its section holds ``ipv6 address`` or ``ipv6
enable``; it then also has a link-local address, made as IOS makes it, by
EUI-64 from the interface's MAC address (the one `show interfaces` prints).
"""

from __future__ import annotations

import hashlib
import ipaddress

from changeops_lab.device import DeviceState


def _mac(device: DeviceState, name: str) -> bytes:
    """The interface's MAC address: the same digest of serial and name `show interfaces` prints."""
    return bytes.fromhex(hashlib.md5(f"{device.serial}/{name}".encode()).hexdigest()[:12])


def link_local(device: DeviceState, name: str) -> str:
    """FE80::/64 with the EUI-64 interface identifier of the port's MAC address."""
    mac = _mac(device, name)
    eui = bytes([mac[0] ^ 0x02]) + mac[1:3] + b"\xff\xfe" + mac[3:6]
    return str(ipaddress.IPv6Address(b"\xfe\x80" + bytes(6) + eui)).upper()


def _addresses(device: DeviceState, name: str) -> tuple[bool, list[str]]:
    """(IPv6 enabled, the global addresses with their prefix length) of an interface."""
    section = device.running.section([f"interface {name}"])
    lines = [child.text for child in section.children] if section else []
    addresses = [line.split()[2] for line in lines if line.startswith("ipv6 address ") and "/" in line.split()[2]
                 and "link-local" not in line]
    return bool(addresses) or "ipv6 enable" in lines, addresses


def _status(device: DeviceState, name: str) -> tuple[str, str]:
    return ("administratively down", "down") if device.is_shutdown(name) else ("up", "up")


def show_ipv6_interface_brief(device: DeviceState) -> str:
    lines = []
    for name in device.port_names():
        status, protocol = _status(device, name)
        enabled, addresses = _addresses(device, name)
        lines.append(f"{name:<22} [{status}/{protocol}]")
        if not enabled:
            lines.append("    unassigned")
            continue
        lines.append(f"    {link_local(device, name)}")
        lines += [f"    {address.split('/')[0]}" for address in addresses]
    return "\n".join(lines)


def show_ipv6_interface(device: DeviceState) -> str:
    """`show ipv6 interface`: the interfaces with IPv6 enabled, as IOS lists them."""
    blocks = []
    for name in device.port_names():
        enabled, addresses = _addresses(device, name)
        if not enabled:
            continue
        status, protocol = _status(device, name)
        lines = [f"{name} is {status}, line protocol is {protocol}",
                 f"  IPv6 is enabled, link-local address is {link_local(device, name)} ",
                 "  No Virtual link-local address(es):"]
        if addresses:
            lines.append("  Global unicast address(es):")
        for address in addresses:
            network = ipaddress.IPv6Interface(address).network
            lines.append(f"    {address.split('/')[0]}, subnet is {str(network).upper()} ")
        lines += ["  Joined group address(es):", "    FF02::1", "  MTU is 1500 bytes"]
        blocks.append("\n".join(lines))
    return "\n".join(blocks)
