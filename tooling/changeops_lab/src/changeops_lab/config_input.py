"""What IOS makes of a configuration line before applying it: abbreviations, interface names, missing ports.

``int gi0/0/0`` is stored as ``interface GigabitEthernet0/0/0`` so that a second
run of a module finds the section it made; a port the chassis does not have is
refused with the ``^`` marker under its name, as IOS does.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable
from dataclasses import dataclass

from changeops_lab.interface_names import canonical, is_virtual, parent_port
from changeops_lab.replies import INVALID

_PREFIXES = ("no", "default")
# Leading keywords IOS accepts abbreviated, and the shortest abbreviation it takes (it stores the full word).
_KEYWORDS = {"interface": 3, "description": 4, "shutdown": 4}  # no `host`: a DHCP pool has one
_SECOND_WORDS = {"ip": {"address": 3}}


@dataclass(frozen=True)
class Normalised:
    """The line as IOS stores it, or the error IOS prints (``marker_at``: the column of the ``^``)."""

    line: str
    error: str = ""
    marker_at: int = 0


def normalise(line: str, has_port: Callable[[str], bool]) -> Normalised:
    """``line`` with keywords expanded and interface names canonical; ``has_port``: the chassis has it."""
    words = line.split()
    lead = words[:1] if words[0] in _PREFIXES else []
    rest = _expanded(words[len(lead):])
    if rest[:2] == ["ip", "route"]:
        return _static_route(line, lead, rest, has_port)
    if rest[:2] in (["ipv6", "address"], ["ipv6", "route"]):
        return _ipv6(line, lead, rest, has_port)
    if not rest or rest[0] != "interface":
        return Normalised(" ".join([*lead, *rest]) if rest != words[len(lead):] else line)
    at = line.find(rest[1]) if len(rest) > 1 else len(line)
    # `interface loopback 888` is one name; `interface Gi0/0/0.10 point-to-point` has a trailing mode
    spaced = len(rest) > 2 and rest[2][:1].isdigit()
    name = canonical("".join(rest[1:3]) if spaced else " ".join(rest[1:2]))
    trailing = rest[3:] if spaced else rest[2:]
    if name is None or (not is_virtual(name) and not has_port(parent_port(name))):
        return Normalised(line, INVALID, at)
    return Normalised(" ".join([*lead, "interface", name, *trailing]))


def _static_route(line: str, lead: list[str], rest: list[str], has_port: Callable[[str], bool]) -> Normalised:
    """`ip route [vrf V] PREFIX MASK [INTERFACE] ...` with the exit interface named in full."""
    at = 4 if rest[2:3] == ["vrf"] else 2
    position = at + 2
    if len(rest) <= position or rest[position][:1].isdigit() or rest[position] in ("dhcp", "Null0"):
        return Normalised(line)
    name = canonical(rest[position])
    if name is None or (not is_virtual(name) and not has_port(parent_port(name))):
        return Normalised(line, INVALID, line.find(rest[position]))
    return Normalised(" ".join([*lead, *rest[:position], name, *rest[position + 1:]]))


def _ipv6(line: str, lead: list[str], rest: list[str], has_port: Callable[[str], bool]) -> Normalised:
    """`ipv6 address A/L ...` and `ipv6 route [vrf V] P/L [INTERFACE] [NEXT-HOP] ...` as IOS prints them.

    IOS prints IPv6 addresses compressed and in capitals (``2001:DB8::1/64``) and names exit interfaces in full.
    """
    words = list(rest)
    start = 4 if words[:3] == ["ipv6", "route", "vrf"] else 2
    for index in range(start, min(len(words), start + 3)):
        address = _ipv6_text(words[index])
        if address is not None:
            words[index] = address
        elif index > start and words[0:2] == ["ipv6", "route"] and not words[index].isdigit() \
                and words[index] not in ("name", "tag", "permanent", "track", "multicast", "unicast", "Null0"):
            name = canonical(words[index])
            if name is None or (not is_virtual(name) and not has_port(parent_port(name))):
                return Normalised(line, INVALID, line.find(words[index]))
            words[index] = name
        else:
            break
    return Normalised(" ".join([*lead, *words]))


def _ipv6_text(word: str) -> str | None:
    """``word`` as IOS prints an IPv6 address or prefix, or None when it is not one."""
    address, slash, length = word.partition("/")
    try:
        text = str(ipaddress.IPv6Address(address)).upper()
    except ValueError:
        return None
    return f"{text}/{length}" if slash else text


def _expanded(words: list[str]) -> list[str]:
    """``words`` with an abbreviated leading keyword (and the word after ``ip``) written out."""
    if not words:
        return words
    first = _full(words[0], _KEYWORDS)
    second = _full(words[1], _SECOND_WORDS.get(first, {})) if len(words) > 1 else None
    return [first, *([second] if second else []), *words[2 if second else 1:]]


def _full(word: str, keywords: dict[str, int]) -> str:
    match = next((k for k, shortest in keywords.items() if len(word) >= shortest and k.startswith(word.lower())),
                 None)
    return match or word
