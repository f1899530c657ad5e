"""Interface names as IOS-XE reads and prints them: ``int lo999``, ``Gi0/0/0`` and ``loopback 999`` all name one port.

netutils knows the abbreviations; IOS-XE additionally accepts any unambiguous
prefix of a type, in any case, with or without a space before the number, and
spells a few types its own way (``HundredGigE``, ``Vlan``).
"""

from __future__ import annotations

import re

from netutils.interface import abbreviated_interface_name, canonical_interface_name

# The interface types of an IOS-XE box, spelled as `show running-config` prints them.
IOS_TYPES = ("GigabitEthernet", "TenGigabitEthernet", "TwentyFiveGigE", "FortyGigabitEthernet", "HundredGigE",
             "TwoGigabitEthernet", "FiveGigabitEthernet", "AppGigabitEthernet", "FastEthernet", "Ethernet",
             "Loopback", "Vlan", "Tunnel", "Port-channel", "BDI", "Null", "Virtual-Template", "Dialer")
# Types a device creates on demand; every other type is hardware the chassis must have.
VIRTUAL_TYPES = ("Loopback", "Vlan", "Tunnel", "Port-channel", "BDI", "Null", "Virtual-Template", "Dialer")
_NETUTILS_TO_IOS = {"HundredGigabitEthernet": "HundredGigE", "VLAN": "Vlan"}
_NAME = re.compile(r"^([A-Za-z][A-Za-z-]*?)\s*(\d[\d/.:]*)$")
_SHORT_OVERRIDES = {"HundredGigE": "Hu", "TwentyFiveGigE": "Twe", "Vlan": "Vl"}


def canonical(name: str) -> str | None:
    """The full IOS-XE name (``Loopback999``), or None when ``name`` is no interface IOS knows."""
    match = _NAME.match(name.strip())
    if match is None:
        return None
    kind, number = match.groups()
    full = canonical_interface_name(kind + number)[: -len(number)]
    full = _NETUTILS_TO_IOS.get(full, full)
    if full not in IOS_TYPES:
        prefixed = [t for t in IOS_TYPES if t.lower().startswith(kind.lower())]
        exact = [t for t in prefixed if t.lower() == kind.lower()]
        if len(exact) != 1 and len(prefixed) != 1:
            return None
        full = (exact or prefixed)[0]
    return full + number


def short(name: str) -> str:
    """The abbreviation IOS prints in tables (``Gi0/0/0``, ``Twe1/0/1``)."""
    for long, abbreviation in _SHORT_OVERRIDES.items():
        if name.startswith(long):
            return abbreviation + name[len(long):]
    return abbreviated_interface_name(name)


def is_virtual(name: str) -> bool:
    """True for interfaces configuration creates (loopbacks, SVIs, tunnels, port-channels)."""
    return name.startswith(VIRTUAL_TYPES)


def parent_port(name: str) -> str:
    """The physical port of a sub-interface (``Gi0/0/0.100`` -> ``Gi0/0/0``), else ``name``."""
    return name.split(".", 1)[0]
