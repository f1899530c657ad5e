"""Faults a lab device can be told to show while the lab runs.

- ``refuse-command REGEX``: a matching command is answered with an IOS error
  (``% Invalid input detected at '^' marker.`` unless another message is given);
- ``unresponsive``: the device accepts TCP but never completes a login, and
  open sessions stop answering;
- ``slow SECONDS``: every answer is delayed;
- ``bad-reload``: after a reload the device comes back on its old version;

and the faults a routine inspection must notice (they change what the show
commands report, and the device logs them as IOS-XE does):

- ``fan-failed``: the first fan tray reports ``fail`` (``%IOSXE_PEM-3-FANFAIL``);
- ``psu-failed``: the second power supply has no input power (``%IOSXE_PEM-3-PEMFAIL``);
- ``hot-sensor [CELSIUS]``: the inlet sensor reads CELSIUS (default 62, above its
  red threshold of 56; ``%ENVIRONMENTAL-1-ALERT``);
- ``crc-errors INTERFACE [COUNT]``: the port shows COUNT CRC (and input) errors,
  climbing by COUNT again every minute (IOS does not log CRC errors);
- ``neighbour-flap``: the link to the first OSPF neighbour bounced just now, so the
  OSPF and BGP adjacencies over it are freshly up (``%LINK-3-UPDOWN``,
  ``%LINEPROTO-5-UPDOWN``, ``%OSPF-5-ADJCHG``, ``%BGP-5-ADJCHANGE`` at both ends);
- ``high-cpu [PERCENT]``: CPU utilisation at PERCENT (default 95), taken by ``IP Input``.

``clear`` lifts all of them (the device logs the fan, power supply and sensor
recovering).
"""

from __future__ import annotations

import asyncio
import re
import time
from dataclasses import dataclass, field

from changeops_lab.chassis import fan_slots, platform, psu_slots
from changeops_lab.device import DeviceState
from changeops_lab.health import CrcErrors, Health
from changeops_lab.interface_names import canonical
from changeops_lab.routing import OSPF_PROCESS, adjacencies, bgp_peers
from changeops_lab.show_network import Lookup
from changeops_lab.show_platform import INLET_THRESHOLDS, inlet_celsius

INSPECTION_KINDS = ("fan-failed", "psu-failed", "hot-sensor", "crc-errors", "neighbour-flap", "high-cpu")
FAULT_KINDS = ("refuse-command", "unresponsive", "slow", "bad-reload", *INSPECTION_KINDS, "clear")
DEFAULT_HOT_CELSIUS = INLET_THRESHOLDS[1] + 6
DEFAULT_CRC_COUNT = 250
DEFAULT_CPU_PERCENT = 95
DEFAULT_REFUSAL = "% Invalid input detected at '^' marker."


class FaultError(ValueError):
    """A fault request that cannot be applied (unknown kind, bad regex, bad number)."""


@dataclass
class Refusal:
    pattern: re.Pattern[str]
    message: str


@dataclass
class Faults:
    """The faults in force on one device."""

    refusals: list[Refusal] = field(default_factory=list)
    slow_seconds: float = 0.0
    bad_reload: bool = False
    answering: asyncio.Event = field(default_factory=asyncio.Event)

    def __post_init__(self) -> None:
        self.answering.set()

    @property
    def unresponsive(self) -> bool:
        return not self.answering.is_set()

    def refusal_for(self, command: str) -> str | None:
        """The error message for ``command`` if a refuse-command fault matches it."""
        return next((r.message for r in self.refusals if r.pattern.search(command)), None)

    def apply(self, kind: str, argument: str | None = None, message: str | None = None,
              device: DeviceState | None = None, lookup: Lookup | None = None) -> None:
        """Set (or with ``clear`` lift) a fault; raises FaultError for a request that makes no sense.

        The inspection faults change ``device`` (its health and its log); ``lookup``
        finds the far end of a flapping adjacency.
        """
        if kind in INSPECTION_KINDS:
            if device is None:
                raise FaultError(f"{kind} needs the device it happens on")
            _inspection_fault(device, kind, argument, lookup or (lambda name: None))
        elif kind == "refuse-command":
            self.refusals.append(Refusal(_regex(argument), message or DEFAULT_REFUSAL))
        elif kind == "unresponsive":
            self.answering.clear()
        elif kind == "slow":
            self.slow_seconds = _seconds(argument)
        elif kind == "bad-reload":
            self.bad_reload = True
        elif kind == "clear":
            self.refusals.clear()
            self.slow_seconds, self.bad_reload = 0.0, False
            self.answering.set()
            if device is not None:
                _recover(device)
        else:
            raise FaultError(f"unknown fault `{kind}`; choose one of {', '.join(FAULT_KINDS)}")

    def describe(self) -> list[str]:
        shown = [f"refuse-command {r.pattern.pattern!r}" for r in self.refusals]
        shown += ["unresponsive"] if self.unresponsive else []
        shown += [f"slow {self.slow_seconds:g}s"] if self.slow_seconds else []
        return shown + (["bad-reload"] if self.bad_reload else [])


def _regex(argument: str | None) -> re.Pattern[str]:
    if not argument:
        raise FaultError("refuse-command needs a regular expression for the commands to refuse")
    try:
        return re.compile(argument)
    except re.error as err:
        raise FaultError(f"refuse-command: `{argument}` is not a regular expression: {err}") from err


def _seconds(argument: str | None) -> float:
    try:
        seconds = float(argument or "")
    except ValueError as err:
        raise FaultError(f"slow needs a number of seconds, not `{argument}`") from err
    if not 0 <= seconds <= 3600:
        raise FaultError(f"slow: {seconds} s is outside 0..3600")
    return seconds


def _inspection_fault(device: DeviceState, kind: str, argument: str | None, lookup: Lookup) -> None:
    health = device.health
    if kind == "fan-failed":
        if not health.fan_failed:
            health.fan_failed = True
            device.record("IOSXE_PEM-3-FANFAIL", f"The fan in slot {_fan_location(device)} is encountering a "
                                                 "failure condition")
    elif kind == "psu-failed":
        if not health.psu_failed:
            health.psu_failed = True
            device.record("IOSXE_PEM-3-PEMFAIL", f"The PEM in slot {psu_slots(device.model)[-1]} is switched off or "
                                                 "encountering a failure condition.")
    elif kind == "hot-sensor":
        health.hot_celsius = _number(kind, argument, DEFAULT_HOT_CELSIUS, 0, 150)
        device.record("ENVIRONMENTAL-1-ALERT", f"Temp: Inlet, Location: {_location(device)}, State: "
                                               f"{_severity(health.hot_celsius)}, Reading: {health.hot_celsius} Celsius")
    elif kind == "crc-errors":
        interface, _, count = (argument or "").strip().partition(" ")
        name = canonical(interface) if interface else None
        if name is None or name not in device.port_names():
            raise FaultError(f"crc-errors needs one of {device.name}'s interfaces "
                             f"({', '.join(device.port_names())}), not `{interface}`")
        health.crc[name] = CrcErrors(_number(kind, count.strip() or None, DEFAULT_CRC_COUNT, 1, 10**9), time.time())
    elif kind == "neighbour-flap":
        _flap(device, lookup)
    else:  # high-cpu
        health.cpu_percent = _number(kind, argument, DEFAULT_CPU_PERCENT, 1, 100)


def _flap(device: DeviceState, lookup: Lookup) -> None:
    """The link to the first OSPF neighbour goes down and comes back: both ends log it, adjacencies restart."""
    found = adjacencies(device, lookup)
    if not found:
        raise FaultError(f"{device.name} has no OSPF or BGP neighbour to flap (only routers and firewalls have)")
    adjacency = found[0]
    bgp = {a.peer.name for a in bgp_peers(device, lookup)}
    far_port = next((p.peer_port for p in device.ports if p.name == adjacency.interface), None) or ""
    ends = [(device, adjacency.interface, adjacency.peer), (adjacency.peer, far_port, device)]
    for state, port, other in ends:
        nbr = f"Process {OSPF_PROCESS}, Nbr {other.mgmt_address} on {port} from"
        state.record("LINK-3-UPDOWN", f"Interface {port}, changed state to down")
        state.record("OSPF-5-ADJCHG", f"{nbr} FULL to DOWN, Neighbor Down: Interface down or detached")
        if other.name in bgp or state.name in bgp:
            state.record("BGP-5-ADJCHANGE", f"neighbor {other.mgmt_address} Down Interface flap")
            state.record("BGP_SESSION-5-ADJCHANGE", f"neighbor {other.mgmt_address} IPv4 Unicast topology base "
                                                    "removed from session  Interface flap")
        state.record("LINEPROTO-5-UPDOWN", f"Line protocol on Interface {port}, changed state to down")
        state.record("LINK-3-UPDOWN", f"Interface {port}, changed state to up")
        state.record("LINEPROTO-5-UPDOWN", f"Line protocol on Interface {port}, changed state to up")
        state.record("OSPF-5-ADJCHG", f"{nbr} LOADING to FULL, Loading Done")
        if other.name in bgp or state.name in bgp:
            state.record("BGP-5-ADJCHANGE", f"neighbor {other.mgmt_address} Up ")
    device.health.flapped_at = time.time()
    device.health.flapped_ports = [adjacency.interface]


def _recover(device: DeviceState) -> None:
    """``clear``: the inspection faults are lifted; IOS logs the fan, power supply and sensor coming back."""
    health = device.health
    if health.fan_failed:
        device.record("IOSXE_PEM-6-FANOK", f"The fan in slot {_fan_location(device)} is functioning properly")
    if health.psu_failed:
        device.record("IOSXE_PEM-6-PEMOK", f"The PEM in slot {psu_slots(device.model)[-1]} is functioning properly")
    if health.hot_celsius is not None:
        health.hot_celsius = None
        device.record("ENVIRONMENTAL-5-SENSOROK", f"Temp: Inlet, Location: {_location(device)}, State: Normal, "
                                                  f"Reading: {inlet_celsius(device)} Celsius")
    device.health = Health()


def _fan_location(device: DeviceState) -> str:
    slot = fan_slots(device.model)[0]
    return slot if platform(device.model).family == "switch" else f"{slot}/0"


def _location(device: DeviceState) -> str:
    return "1" if platform(device.model).family == "switch" else "R0"


def _severity(celsius: int) -> str:
    return "Critical" if celsius >= INLET_THRESHOLDS[1] else "Warning" if celsius >= INLET_THRESHOLDS[0] else "Normal"


def _number(kind: str, argument: str | None, default: int, low: int, high: int) -> int:
    if not argument:
        return default
    try:
        value = int(argument)
    except ValueError as err:
        raise FaultError(f"{kind} needs a whole number, not `{argument}`") from err
    if not low <= value <= high:
        raise FaultError(f"{kind}: {value} is outside {low}..{high}")
    return value
