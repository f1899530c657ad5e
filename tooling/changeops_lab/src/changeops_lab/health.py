"""What an inspection reads off a device's hardware and control plane, and the faults that spoil it.

A healthy device has good fans and power supplies, temperatures well under
their thresholds, clean interface counters, routing neighbours up since boot
and an idle CPU. ``faults.py`` sets the fields below (``changeops lab fault
HOST fan-failed`` ...); the show commands read them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

CRC_RISE_SECONDS = 60.0  # an injected CRC count grows by itself once a minute (pro rata between reads)


@dataclass
class CrcErrors:
    count: int
    since: float

    def at(self, now: float) -> int:
        """The CRC count at ``now``: the injected count, climbing by that much again every minute."""
        return self.count + int(self.count * max(0.0, now - self.since) / CRC_RISE_SECONDS)


@dataclass
class Health:
    fan_failed: bool = False
    psu_failed: bool = False
    hot_celsius: int | None = None
    crc: dict[str, CrcErrors] = field(default_factory=dict)
    flapped_at: float | None = None  # when the routing neighbours came back up after a flap
    flapped_ports: list[str] = field(default_factory=list)  # the ports whose link bounced then
    cpu_percent: int | None = None

    def describe(self) -> list[str]:
        shown = ["fan-failed"] if self.fan_failed else []
        shown += ["psu-failed"] if self.psu_failed else []
        shown += [f"hot-sensor {self.hot_celsius}C"] if self.hot_celsius is not None else []
        shown += [f"crc-errors {name} {crc.count}" for name, crc in self.crc.items()]
        shown += ["neighbour-flap"] if self.flapped_at is not None else []
        return shown + ([f"high-cpu {self.cpu_percent}%"] if self.cpu_percent is not None else [])
