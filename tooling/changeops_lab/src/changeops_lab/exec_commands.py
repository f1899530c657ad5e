"""Exec-mode commands (``>`` and ``#``): keyword expansion, privilege, pipes, dispatch.

Keywords may be abbreviated as on IOS (``sh ver``, ``conf t``, ``wr mem``);
an unknown command gets ``% Invalid input detected at '^' marker.``.
"""

from __future__ import annotations

from collections.abc import Callable

from changeops_lab import maintenance
from changeops_lab import show_network as net
from changeops_lab import show_platform as platform
from changeops_lab import show_routing as routing
from changeops_lab import show_system as system
from changeops_lab.filters import PipeError, apply_pipes, split_pipes
from changeops_lab.replies import Reply
from changeops_lab.terminal import Terminal

Handler = Callable[[Terminal, list[str]], Reply]
Show = Callable[[Terminal, list[str]], "str | None"]

Keywords = dict[str, "Keywords"]  # each keyword, and the keywords that may follow it

_KEYWORDS: Keywords = {
    "show": {
        "version": {}, "running-config": {}, "startup-config": {}, "inventory": {}, "logging": {},
        "privilege": {}, "interfaces": {"status": {}},
        "ip": {"interface": {"brief": {}}, "route": {"summary": {}}, "access-lists": {},
               "ospf": {"neighbor": {}}, "bgp": {"summary": {}}},
        "cdp": {"neighbors": {"detail": {}}}, "install": {"summary": {}}, "vlan": {"brief": {}},
        "memory": {"statistics": {}},
        "processes": {"cpu": {}, "memory": {"sorted": {}}}, "environment": {"temperature": {}, "power": {"all": {}}},
        "platform": {"diag": {}}, "redundancy": {}, "license": {"status": {}}, "lldp": {}, "switch": {}, "clock": {},
        "archive": {}, "ipv6": {"interface": {}}, "users": {},
        "access-lists": {}, "banner": {"login": {}, "motd": {}, "exec": {}},
        "snmp": {"user": {}}, "lacp": {"sys-id": {}},
    },
    "configure": {"terminal": {}, "replace": {}, "confirm": {}},
    "terminal": {"length": {}, "width": {}, "monitor": {}, "no": {}},
    "write": {"memory": {}}, "copy": {}, "delete": {}, "dir": {}, "verify": {}, "reload": {}, "ping": {},
    "install": {"add": {}, "activate": {}, "commit": {}, "deactivate": {}, "remove": {}},
    "enable": {}, "disable": {}, "exit": {}, "logout": {}, "quit": {}, "clear": {"logging": {}},
}
_SHOW: dict[tuple[str, ...], Show] = {
    ("version",): lambda s, a: system.show_version(s.device),
    ("running-config",): lambda s, a: _help_or(a, lambda: system.show_running(s.device, a)),
    ("startup-config",): lambda s, a: system.show_startup(s.device),
    ("inventory",): lambda s, a: system.show_inventory(s.device),
    ("logging",): lambda s, a: system.show_logging(s.device),
    ("privilege",): lambda s, a: system.show_privilege(s.privileged),
    ("install", "summary"): lambda s, a: system.show_install_summary(s.device),
    ("memory", "statistics"): lambda s, a: system.show_memory(),
    ("processes", "cpu"): lambda s, a: platform.show_processes_cpu(s.device),
    ("processes", "memory"): lambda s, a: platform.show_processes_memory_sorted(s.device),
    ("processes", "memory", "sorted"): lambda s, a: platform.show_processes_memory_sorted(s.device),
    ("environment", "temperature"): lambda s, a: platform.show_environment_temperature(s.device),
    ("environment", "power", "all"): lambda s, a: platform.show_environment_power_all(s.device),
    ("platform", "diag"): lambda s, a: platform.show_platform_diag(s.device),
    ("redundancy",): lambda s, a: platform.show_redundancy(s.device),
    ("license", "status"): lambda s, a: platform.show_license_status(s.device),
    ("ip", "ospf", "neighbor"): lambda s, a: None if a else routing.show_ip_ospf_neighbor(s.device, s.neighbours),
    ("ip", "bgp", "summary"): lambda s, a: routing.show_ip_bgp_summary(s.device, s.neighbours),
    ("interfaces",): lambda s, a: net.show_interfaces(s.device, "".join(a) or None),
    ("interfaces", "status"): lambda s, a: net.show_interfaces_status(s.device),
    ("ip", "interface", "brief"): lambda s, a: net.show_ip_interface_brief(s.device),
    ("ip", "interface"): lambda s, a: net.show_ip_interface(s.device),
    ("ip", "route"): lambda s, a: net.show_ip_route_prefix(s.device, a[0]) if a else net.show_ip_route(s.device),
    ("ip", "route", "summary"): lambda s, a: net.show_ip_route_summary(s.device),
    ("cdp", "neighbors"): lambda s, a: net.show_cdp_neighbors(s.device, s.neighbours),
    ("cdp", "neighbors", "detail"): lambda s, a: net.show_cdp_neighbors_detail(s.device, s.neighbours),
    ("cdp",): lambda s, a: net.show_cdp(),
    ("lldp",): lambda s, a: "% LLDP is not enabled",
    ("vlan",): lambda s, a: net.show_vlan(s.device),
    ("vlan", "brief"): lambda s, a: net.show_vlan(s.device),
    ("ipv6", "interface"): lambda s, a: "",
    ("archive",): lambda s, a: "Archive feature not enabled",
    ("clock",): lambda s, a: maintenance.clock_text(),
    ("access-lists",): lambda s, a: system.show_acls(s.device),
    ("ip", "access-lists"): lambda s, a: system.show_acls(s.device),
    ("snmp", "user"): lambda s, a: "",  # no SNMPv3 users are configured on a lab device
    ("lacp", "sys-id"): lambda s, a: f"32768, {net.system_mac(s.device)}",
    ("banner",): lambda s, a: system.show_banner(s.device, a),
    ("users",): lambda s, a: f"    Line       User       Host(s)              Idle       Location\n"
                             f"*  2 vty 0     {s.user:<10} idle                 00:00:00 127.0.0.1",
}
_USER_EXEC_SHOWS = {("version",), ("privilege",), ("inventory",), ("clock",), ("users",), ("interfaces",),
                    ("ip", "interface", "brief"), ("cdp", "neighbors"), ("cdp", "neighbors", "detail"), ("cdp",)}


def run_exec(session: Terminal, command: str, from_config: bool = False) -> Reply:
    """Run one exec command (``from_config``: typed as ``do ...`` in configuration mode)."""
    try:
        base, pipes = split_pipes(command)
    except PipeError:
        return session.done(session.refuse(command))
    words, problem = expand(base.split())
    if problem:
        return session.done(problem)
    if words[0] == "show":
        output = _show(session, words[1:])
        return session.done(session.refuse(command) if output is None else apply_pipes(output, pipes))
    handler = _HANDLERS.get(words[0])
    if handler is None or (words[0] in _PRIVILEGED and not session.privileged):
        return session.done(session.refuse(command))
    if from_config and words[0] in ("configure", "enable", "disable", "exit", "logout", "quit"):
        return session.done(session.refuse(command))
    return handler(session, words[1:])


def expand(words: list[str]) -> tuple[list[str], str]:
    """Keywords written out in full, or the IOS message for an ambiguous command."""
    level: Keywords = _KEYWORDS
    out: list[str] = []
    for index, word in enumerate(words):
        if not level:
            return out + words[index:], ""
        if word in level:
            choice = word
        else:
            matches = [k for k in level if k.startswith(word.lower())]
            if len(matches) > 1:
                return words, f'% Ambiguous command:  "{" ".join(words)}"'
            if not matches:
                return out + words[index:], ""
            choice = matches[0]
        out.append(choice)
        level = level[choice]
    return out, ""


def _show(session: Terminal, words: list[str]) -> str | None:
    for length in range(len(words), 0, -1):
        key = tuple(words[:length])
        if key in _SHOW:
            if not session.privileged and key not in _USER_EXEC_SHOWS:
                return None
            return _SHOW[key](session, words[length:])
    return None


def _help_or(args: list[str], render: Callable[[], str | None]) -> str | None:
    if args and args[-1] == "?":
        return "  all             Configuration with defaults\n  brief           configuration without " \
               "certificate data\n  full            full configuration\n  interface       Show interface " \
               "configuration\n  |               Output modifiers\n  <cr>            <cr>"
    return render()


def _enable(session: Terminal, args: list[str]) -> Reply:
    if session.privileged:
        return session.done()

    def check(answer: str) -> Reply:
        if answer == session.enable_secret:
            session.privileged = True
            return session.done()
        return session.done("% Bad secrets")

    return session.ask("Password: ", check, echo=False)


def _disable(session: Terminal, args: list[str]) -> Reply:
    session.privileged = False
    return session.done()


def _configure(session: Terminal, args: list[str]) -> Reply:
    if not args or args[0] == "terminal":
        return session.enter_config()
    if args[0] == "replace" and len(args) > 1:
        return maintenance.configure_replace(session, args[1], force="force" in args[2:], listing="list" in args[2:])
    if args[0] == "confirm":
        return session.done()
    return session.done(session.refuse("configure " + " ".join(args)))


_HANDLERS: dict[str, Handler] = {
    "enable": _enable,
    "disable": _disable,
    "exit": lambda s, a: Reply(hang_up=True),
    "logout": lambda s, a: Reply(hang_up=True),
    "quit": lambda s, a: Reply(hang_up=True),
    "terminal": lambda s, a: s.done(),
    "configure": _configure,
    "write": maintenance.write_memory,
    "copy": maintenance.copy,
    "delete": maintenance.delete,
    "dir": maintenance.dir_flash,
    "verify": maintenance.verify,
    "install": maintenance.install,
    "reload": maintenance.reload,
    "ping": maintenance.ping,
    "clear": maintenance.clear_logging,
}
_PRIVILEGED = {"disable", "configure", "write", "copy", "delete", "dir", "verify", "install", "reload", "clear"}
