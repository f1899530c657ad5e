"""The state of one simulated network device: identity, cabling, configuration, software, log.

Built from the device archive in the inventory (host vars: model, serial,
os_version, image, interfaces with their peers). It lives in the lab process
and persists across SSH sessions until the lab stops.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from changeops_lab.health import Health
from changeops_lab.running_config import RunningConfig
from changeops_lab.software import Software, short_version

LOG_BUFFER_LINES = 500
_MGMT_WORDS = ("MGMT", "OOB")


@dataclass
class Port:
    """A physical interface and what its cable plugs into (CDP reports this)."""

    name: str
    peer: str | None = None
    peer_port: str | None = None


@dataclass
class DeviceState:
    name: str
    model: str
    serial: str
    version: str
    image: str
    role: str
    mgmt_address: str
    ports: list[Port]
    running: RunningConfig
    startup: RunningConfig
    software: Software = field(default_factory=Software)
    booted_at: float = field(default_factory=time.time)
    reload_reason: str = "Reload Command"
    log: list[str] = field(default_factory=list)
    health: Health = field(default_factory=Health)

    @property
    def hostname(self) -> str:
        line = self.running.value([], "hostname")
        return line.split(None, 1)[1] if line else "Router"

    @property
    def is_switch(self) -> bool:
        return "switch" in self.role

    def port(self, name: str) -> Port | None:
        return next((p for p in self.ports if p.name.lower() == name.lower()), None)

    def port_names(self) -> list[str]:
        """Every interface: the cabled ports and any other `interface` section of the config."""
        names = [p.name for p in self.ports]
        for line in self.running.lines(("interface",)):
            name = line.text.split(None, 1)[1]
            if name not in names:
                names.append(name)
        return names

    def is_shutdown(self, interface: str) -> bool:
        return self.running.has([f"interface {interface}"], "shutdown")

    def record(self, facility: str, message: str) -> None:
        """Append a syslog message to the logging buffer, timestamped like IOS."""
        now = datetime.now(UTC)
        stamp = f"{now:%b} {now.day:>2} {now:%H:%M:%S}.{now.microsecond // 1000:03d}"  # `*Dec  1 09:04:05.123`
        self.log.append(f"*{stamp}: %{facility}: {message}")
        del self.log[:-LOG_BUFFER_LINES]

    def boot(self, version: str, image: str, reason: str) -> None:
        """Come up from a reload: startup-config becomes running, the booted image sets the version."""
        self.version, self.image, self.reload_reason = version, image, reason
        self.running = self.startup.copy()
        self.running.apply([], f"version {short_version(version)}")
        self.booted_at = time.time()
        self.record("SYS-5-RESTART", f"System restarted -- Cisco IOS XE Software, Version {version}")


def device_from_host_vars(name: str, host_vars: dict[str, Any], user: str) -> DeviceState:
    """A device as its inventory archive describes it."""
    ports = [Port(i["name"], i.get("peer"), i.get("peer_port")) for i in host_vars.get("interfaces") or []]
    descriptions = {i["name"]: i.get("description") for i in host_vars.get("interfaces") or []}
    version = str(host_vars["os_version"])
    image = str(host_vars.get("image") or f"universalk9.{version}.SPA.bin")
    mgmt = str(host_vars.get("ansible_host") or "192.0.2.1")
    config = initial_config(name, version, image, mgmt, user, ports, descriptions,
                            routes=_default_routes(ports, descriptions, host_vars.get("peer"), host_vars["role"]))
    state = DeviceState(name=name, model=str(host_vars["model"]), serial=str(host_vars["serial_number"]),
                        version=version, image=image, role=str(host_vars["role"]), mgmt_address=mgmt,
                        ports=ports, running=config, startup=config.copy())
    state.software.add_file(image, version=version)
    state.record("SYS-5-RESTART", f"System restarted -- Cisco IOS XE Software, Version {version}")
    return state


def synthetic_device(index: int, user: str) -> DeviceState:
    """Device number ``index`` of a synthetic lab (for benchmarks): a C8300 with two ports."""
    name = f"lab-r{index:03d}"
    host_vars = {
        "model": "C8300-1N1S-6T", "serial_number": f"FLM{index:08d}", "os_version": "17.09.04a",
        "image": "c8000be-universalk9.17.09.04a.SPA.bin", "role": "edge-router",
        "ansible_host": f"10.99.{index // 250}.{index % 250 + 1}", "peer": None,
        "interfaces": [
            {"name": "GigabitEthernet0/0/0", "description": "UPLINK lab-core", "peer": None, "peer_port": None},
            {"name": "GigabitEthernet0/0/1", "description": "DOWNLINK lab-sw", "peer": None, "peer_port": None},
        ],
    }
    return device_from_host_vars(name, host_vars, user)


def initial_config(hostname: str, version: str, image: str, mgmt: str, user: str, ports: list[Port],
                   descriptions: dict[str, str | None], routes: list[str]) -> RunningConfig:
    lines = [
        f"version {short_version(version)}", "service timestamps debug datetime msec",
        "service timestamps log datetime msec", "service password-encryption", f"hostname {hostname}", "!",
        "boot-start-marker", f"boot system flash:{image}", "boot-end-marker", "!",
        "logging buffered 102400 informational", "enable secret 9 $9$lab$generated-by-the-lab", "!",
        "no aaa new-model", "ip domain name lab.changeops", "!",
        f"username {user} privilege 1 secret 9 $9$lab$generated-by-the-lab", "!",
        "interface Loopback0", " description MGMT loopback", f" ip address {mgmt} 255.255.255.255", "!",
    ]
    for port in ports:
        lines.append(f"interface {port.name}")
        if descriptions.get(port.name):
            lines.append(f" description {descriptions[port.name]}")
        lines += [" no ip address", "!"]
    lines += [*routes, "ip ssh version 2", "!", "line con 0", " stopbits 1", "line vty 0 4",
              " login local", " transport input ssh", "!", "end"]
    return RunningConfig.parse("\n".join(lines))


def _default_routes(ports: list[Port], descriptions: dict[str, str | None], peer: str | None,
                    role: str) -> list[str]:
    """Routers get a default route over their uplink and a floating one (distance 250) as backup."""
    if "router" not in role:
        return []
    data = [p for p in ports if not any(w in (descriptions.get(p.name) or "") for w in _MGMT_WORDS)]
    uplink = next((p for p in data if p.peer is None), data[0] if data else None)
    backup = next((p for p in data if p.peer == peer and peer and p is not uplink), None)
    backup = backup or next((p for p in data if p is not uplink and p.peer), None)
    routes = [f"ip route 0.0.0.0 0.0.0.0 {uplink.name}"] if uplink else []
    return routes + ([f"ip route 0.0.0.0 0.0.0.0 {backup.name} 250"] if backup else [])
