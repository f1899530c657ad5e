"""The hardware of each platform the lab simulates: chassis, power supplies, fan trays, modules, optics.

`show inventory`, `show environment ...` and `show platform diag` read it.
Part serial numbers are derived from the chassis serial, so one device always
reports the same parts (and two devices never share a part serial).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from changeops_lab.interface_names import is_virtual


@dataclass(frozen=True)
class Part:
    """One field-replaceable unit as `show inventory` lists it; ``slot`` as `show platform diag` names it."""

    name: str
    descr: str
    pid: str
    vid: str
    serial: str
    slot: str = ""
    kind: str = "module"  # chassis, psu, fan, module, optic


@dataclass(frozen=True)
class Platform:
    family: str  # "router" (ASR1000, ISR4000, Catalyst 8300) or "switch" (Catalyst 9000)
    chassis_descr: str
    psu_pid: str
    psu_descr: str
    psu_watts: int
    fan_pid: str
    fan_descr: str
    fans: int
    modules: tuple[tuple[str, str, str], ...]  # (NAME, DESCR, PID) besides chassis, PSUs and fans
    poe: bool = False


_PLATFORMS: dict[str, Platform] = {
    "ASR1001-X": Platform("router", "Cisco ASR1001-X Chassis", "ASR1001-X-PWR-AC",
                          "Cisco ASR1001-X AC Power Supply", 400, "ASR1001-X-FAN", "Cisco ASR1001-X Fan Tray", 1,
                          (("module 0", "Cisco ASR1001-X Built-In NIM controller", "ASR1001-X"),
                           ("SPA subslot 0/0", "6-port Built-in GE SPA", "BUILT-IN-2T+6X1GE"),
                           ("module R0", "Cisco ASR1001-X Route Processor", "ASR1001-X"),
                           ("module F0", "Cisco ASR1001-X Embedded Services Processor", "ASR1001-X"))),
    "ASR1002-HX": Platform("router", "Cisco ASR1002-HX Chassis", "ASR1002-HX-PWR-AC",
                           "Cisco ASR1002-HX AC Power Supply", 1100, "ASR1002-HX-FAN", "Cisco ASR1002-HX Fan Tray", 1,
                           (("module 0", "Cisco ASR1002-HX Built-In NIM controller", "ASR1002-HX"),
                            ("SPA subslot 0/0", "4-port 10GE/1GE + 4-port 1GE", "BUILT-IN-EPA-8x10G"),
                            ("module R0", "Cisco ASR1002-HX Route Processor", "ASR1002-HX"),
                            ("module F0", "Cisco ASR1002-HX Embedded Services Processor", "ASR1002-HX"))),
    "ISR4451-X/K9": Platform("router", "Cisco ISR4451 Chassis", "PWR-4450-AC", "450W AC Power Supply for Cisco ISR 4450",
                             450, "ISR4450-FAN", "Cisco ISR 4450 Fan Tray", 1,
                             (("module 0", "Cisco ISR4451 Built-In NIM controller", "ISR4451-X/K9"),
                              ("NIM subslot 0/0", "Front Panel 4 ports Gigabitethernet Module", "ISR4451-X-4x1GE"),
                              ("module R0", "Cisco ISR4451 Route Processor", "ISR4451-X/K9"),
                              ("module F0", "Cisco ISR4451 Forwarding Processor", "ISR4451-X/K9"))),
    "C8300-1N1S-6T": Platform("router", "Cisco C8300-1N1S-6T Chassis", "PWR-CC1-400WAC",
                              "Cisco 400W AC Power Supply for C8300-1N1S", 400, "C8300-FAN-1R",
                              "Cisco C8300 1RU Fan Assembly", 1,
                              (("module 0", "Cisco C8300-1N1S-6T Built-In NIM controller", "C8300-1N1S-6T"),
                               ("NIM subslot 0/0", "2x1G-2xSFP+ and 4x1G Built-in Module", "4x1G-2xSFP+"),
                               ("module R0", "Cisco C8300-1N1S-6T Route Processor", "C8300-1N1S-6T"),
                               ("module F0", "Cisco C8300-1N1S-6T Forwarding Processor", "C8300-1N1S-6T"))),
    "C9200L-24P-4G": Platform("switch", "C9200L-24P-4G", "PWR-C5-600WAC", "600W AC Config 5 Power Supply", 600,
                              "C9200L-FAN", "C9200L Fan", 2,
                              (("Switch 1 - C9200L-24P-4G - Fixed Module 0", "24x1G PoE+ Fixed Module", "C9200L-24P-4G"),
                               ("Switch 1 - C9200L-24P-4G - Fixed Module 1", "4x1G Uplink Module", "C9200L-4G")),
                              poe=True),
    "C9300-24T": Platform("switch", "C9300-24T", "PWR-C1-350WAC-P", "350W AC 80+ platinum Config 1 Power Supply", 350,
                          "FAN-T1", "C9300 Fan Module", 3,
                          (("Switch 1 FRU Uplink Module 1", "8x10G Uplink Module", "C9300-NM-8X"),)),
    "C9300-48P": Platform("switch", "C9300-48P", "PWR-C1-1100WAC-P", "1100W AC 80+ platinum Config 1 Power Supply",
                          1100, "FAN-T1", "C9300 Fan Module", 3,
                          (("Switch 1 FRU Uplink Module 1", "8x10G Uplink Module", "C9300-NM-8X"),), poe=True),
    "C9500-24Y4C": Platform("switch", "Cisco Catalyst 9500 Series Chassis", "C9K-PWR-650WAC-R",
                            "Cisco Catalyst 9K Series 650W AC Power Supply", 650, "C9K-T1-FANTRAY",
                            "Cisco Catalyst 9500 Series Fan Tray", 1,
                            (("Slot 1 Supervisor", "Cisco Catalyst 9500 Series Router", "C9500-24Y4C"),)),
}
_OPTICS = {"TenGigabitEthernet": ("SFP-10G-SR", "SFP+ 10GBASE-SR"), "TwentyFiveGigE": ("SFP-25G-SR-S", "SFP28 25GBASE-SR"),
           "HundredGigE": ("QSFP-100G-SR4-S", "QSFP 100GBASE-SR4"), "FortyGigabitEthernet": ("QSFP-40G-SR4", "QSFP 40GBASE-SR4")}


def platform(model: str) -> Platform:
    """The platform of ``model``; a model the lab does not know is treated as a Catalyst 8300 router."""
    return _PLATFORMS.get(model, _PLATFORMS["C8300-1N1S-6T"])


def part_serial(chassis_serial: str, what: str, prefix: str) -> str:
    """A serial number for one part of a chassis, stable for the chassis and different for every part."""
    digest = hashlib.md5(f"{chassis_serial}/{what}".encode()).hexdigest().upper()
    digits = "".join(c for c in digest if c.isdigit())[:4].ljust(4, "0")
    return f"{prefix}{digits[:2]}{digest[:1]}{digits[2:]}{digest[1:4]}"


def psu_slots(model: str) -> list[str]:
    """Slot of each power supply: ``P0``, ``P1`` on a router, ``1A``, ``1B`` on a Catalyst switch."""
    return ["1A", "1B"] if platform(model).family == "switch" else ["P0", "P1"]


def fan_slots(model: str) -> list[str]:
    """Slot of each fan as `show platform diag` lists it (``P2`` on a router, ``1/FM1``... on a switch)."""
    spec = platform(model)
    return [f"1/FM{n}" for n in range(1, spec.fans + 1)] if spec.family == "switch" else ["P2"]


def parts(model: str, serial: str, ports: list[str]) -> list[Part]:
    """Every field-replaceable unit of the chassis, in the order `show inventory` lists them."""
    spec = platform(model)
    switch = spec.family == "switch"
    found = [Part("Chassis" if not switch else "Switch 1", spec.chassis_descr, model, "V02", serial, kind="chassis")]
    for index, slot in enumerate(psu_slots(model)):
        name = f"Switch 1 - Power Supply {slot[1]}" if switch else f"Power Supply Module {index}"
        found.append(Part(name, spec.psu_descr, spec.psu_pid, "V01", part_serial(serial, slot, "ART" if not switch
                                                                                   else "DCB"), slot, "psu"))
    for index, slot in enumerate(fan_slots(model), start=1):
        name = f"Switch 1 - FAN - T1 {index}" if switch else "Fan Tray"
        found.append(Part(name, spec.fan_descr, spec.fan_pid, "V01", part_serial(serial, slot, "FCO"), slot, "fan"))
    for name, descr, pid in spec.modules:
        found.append(Part(name, descr, pid, "V01", serial if pid == model else part_serial(serial, name, "JAE")))
    for port in ports:
        optic = next((o for prefix, o in _OPTICS.items() if port.startswith(prefix)), None)
        if optic is None and switch and port.startswith("GigabitEthernet1/1/"):
            optic = ("GLC-LH-SMD", "1000BaseLX SFP")
        if optic is None or is_virtual(port):
            continue
        numbers = port.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-").split("/")
        name = port if switch else f"subslot {numbers[0]}/{numbers[1]} transceiver {numbers[-1]}"
        found.append(Part(name, optic[1], optic[0], "V01", part_serial(serial, port, "AVD"), kind="optic"))
    return found
