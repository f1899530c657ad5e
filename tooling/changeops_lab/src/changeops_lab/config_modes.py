"""Configuration sub-modes: which lines open a section, and where a line belongs.

IOS falls back to the parent mode when a line is not valid in the current
sub-mode: ``interface Gi2`` typed under ``interface Gi1`` switches interface,
``ip route ...`` typed under an interface is applied globally. ``ios_config``
relies on this: it sends sections one after another without ``exit``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Global-level section openers and the prompt each one gives.
GLOBAL_OPENERS: tuple[tuple[re.Pattern[str], str], ...] = tuple((re.compile(p), mode) for p, mode in (
    (r"interface \S+\.\d+", "config-subif"),
    (r"interface \S+", "config-if"),
    (r"router (ospf|bgp|eigrp|isis|rip|lisp)\b", "config-router"),
    (r"line (con|console|vty|aux)\b", "config-line"),
    (r"vlan \d+$", "config-vlan"),
    (r"ip access-list extended \S+$", "config-ext-nacl"),
    (r"ip access-list standard \S+$", "config-std-nacl"),
    (r"ipv6 access-list \S+$", "config-ipv6-acl"),
    (r"route-map \S+", "config-route-map"),
    (r"class-map( match-(any|all))? \S+$", "config-cmap"),
    (r"policy-map( type \S+)? \S+$", "config-pmap"),
    (r"vrf definition \S+$", "config-vrf"),
    (r"ip vrf \S+$", "config-vrf"),
    (r"key chain \S+$", "config-keychain"),
    (r"track \d+ ", "config-track"),
    (r"zone security \S+$", "config-sec-zone"),
    (r"zone-pair security ", "config-sec-zone-pair"),
    (r"ip sla \d+$", "config-ip-sla"),
    (r"ip dhcp pool \S+$", "dhcp-config"),
    (r"archive$", "config-archive"),
    (r"redundancy$", "config-red"),
    (r"control-plane$", "config-cp"),
    (r"spanning-tree mst configuration$", "config-mst"),
    (r"aaa group server \S+ \S+$", "config-sg-radius"),
    (r"crypto pki trustpoint \S+$", "ca-trustpoint"),
    (r"tacacs server \S+$", "config-server-tacacs"),
    (r"radius server \S+$", "config-radius-server"),
    (r"aaa server radius dynamic-author$", "config-locsvr-da-radius"),
    (r"crypto keyring \S+", "conf-keyring"),
    (r"crypto ikev2 keyring \S+$", "config-ikev2-keyring"),
    (r"crypto ikev2 profile \S+$", "config-ikev2-profile"),
    (r"crypto isakmp client configuration group \S+$", "crypto-isakmp-group"),
    (r"object-group (network|service) \S+$", "config-obj-group"),
))
# Openers valid inside a sub-mode, by that sub-mode.
NESTED_OPENERS: dict[str, tuple[tuple[re.Pattern[str], str], ...]] = {
    mode: tuple((re.compile(p), sub) for p, sub in openers) for mode, openers in {
        "config-router": ((r"address-family \S+", "config-router-af"),),
        "config-vrf": ((r"address-family \S+", "config-vrf-af"),),
        "config-pmap": ((r"class \S+", "config-pmap-c"),),
        "config-keychain": ((r"key \d+$", "config-keychain-key"),),
        "config-ikev2-keyring": ((r"peer \S+$", "config-ikev2-keyring-peer"),),
        "config-archive": ((r"log config$", "config-archive-log-cfg"),),
    }.items()
}
# Global commands that are never valid inside a sub-mode (besides the global openers).
GLOBAL_ONLY = re.compile(
    r"(no |default )?(hostname|interface|router|line|vlan|route-map|class-map|policy-map|key chain|track"
    r"|zone security|zone-pair|archive|redundancy|control-plane|ntp|snmp-server|username|enable|service"
    r"|boot|banner|aaa|access-list|clock|crypto|license|errdisable|vtp|version|platform|memory|lldp run|cdp run"
    r"|ip (route|domain|name-server|ssh|http|scp|ftp|tftp|forward-protocol|prefix-list|community-list"
    r"|as-path|routing|access-list|vrf \S+$|sla|dhcp pool|multicast-routing|cef)"
    r"|ipv6 (route|unicast-routing|access-list)|logging (host|buffered|trap|facility|source-interface"
    r"|console|monitor|\d)|spanning-tree (mode|extend|vlan|mst)|vrf definition|object-group)(?=\s|$)"
)
SECTION_EXITS = ("exit", "exit-address-family", "exit-peer-template", "exit-af-topology")


@dataclass(frozen=True)
class Section:
    """One level of the configuration mode stack: the header line and the mode it opened."""

    header: str
    mode: str


def opener_mode(parent_mode: str, line: str) -> str | None:
    """The sub-mode ``line`` opens when typed in ``parent_mode`` (``config`` is global), else None."""
    table = GLOBAL_OPENERS if parent_mode == "config" else NESTED_OPENERS.get(parent_mode, ())
    return next((mode for pattern, mode in table if pattern.match(line)), None)


def belongs_at(stack: list[Section], line: str) -> int:
    """How many levels of ``stack`` stay open when ``line`` is applied (0: global configuration)."""
    for depth in range(len(stack), 0, -1):
        parent_mode = stack[depth - 2].mode if depth >= 2 else "config"
        if opener_mode(parent_mode, line) or GLOBAL_ONLY.match(line):
            continue
        return depth
    return 0


def prompt_suffix(stack: list[Section]) -> str:
    return f"({stack[-1].mode})#" if stack else "(config)#"
