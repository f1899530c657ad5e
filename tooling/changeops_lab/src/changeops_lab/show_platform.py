"""`show` output an inspection reads about the box's health: environment, platform, CPU, memory, redundancy, license.

Formats follow IOS-XE 17 as ntc-templates (``cisco_ios``) parses them. Where
ntc-templates knows only the Catalyst format (`show environment temperature`,
`show environment power all`), every platform answers in that format, its
sensors and power supplies under ``Switch 1``. Values are derived from the
serial number, so a healthy device answers the same every time, apart from
counters and uptimes that really move; ``device.health`` (the inspection
faults) changes them.
"""

from __future__ import annotations

import hashlib
import time
from datetime import UTC, datetime, timedelta

from changeops_lab.chassis import fan_slots, parts, platform, psu_slots
from changeops_lab.device import DeviceState
from changeops_lab.show_system import uptime_text

INLET_THRESHOLDS = (46, 56)  # yellow, red (Celsius)
HOTSPOT_THRESHOLDS = (105, 125)
MEMORY_TOTAL = 1863087024


def _seed(device: DeviceState, what: str) -> int:
    return int(hashlib.md5(f"{device.serial}/{what}".encode()).hexdigest()[:8], 16)


def inlet_celsius(device: DeviceState) -> int:
    hot = device.health.hot_celsius
    return hot if hot is not None else 24 + _seed(device, "inlet") % 6


def _state(value: int, thresholds: tuple[int, int]) -> str:
    return "RED" if value >= thresholds[1] else "YELLOW" if value >= thresholds[0] else "GREEN"


def show_environment_temperature(device: DeviceState) -> str:
    inlet, hotspot = inlet_celsius(device), 38 + _seed(device, "hotspot") % 8
    states = (_state(inlet, INLET_THRESHOLDS), _state(hotspot, HOTSPOT_THRESHOLDS))
    system = "CRITICAL" if "RED" in states else "WARNING" if "YELLOW" in states else "OK"
    return "\n".join([
        f"Switch 1: SYSTEM TEMPERATURE is {system}",
        f"Inlet Temperature Value: {inlet} Degree Celsius",
        f"Temperature State: {states[0]}",
        f"Yellow Threshold : {INLET_THRESHOLDS[0]} Degree Celsius",
        f"Red Threshold    : {INLET_THRESHOLDS[1]} Degree Celsius",
        "",
        f"Hotspot Temperature Value: {hotspot} Degree Celsius",
        f"Temperature State: {states[1]}",
        f"Yellow Threshold : {HOTSPOT_THRESHOLDS[0]} Degree Celsius",
        f"Red Threshold    : {HOTSPOT_THRESHOLDS[1]} Degree Celsius",
    ])


def failed_psu(device: DeviceState) -> str | None:
    """The slot of the power supply that fails with `psu-failed` (the second one)."""
    return psu_slots(device.model)[-1] if device.health.psu_failed else None


def failed_fan(device: DeviceState) -> str | None:
    """The slot of the fan that fails with `fan-failed` (the first one)."""
    return fan_slots(device.model)[0] if device.health.fan_failed else None


def show_environment_power_all(device: DeviceState) -> str:
    spec = platform(device.model)
    lines = ["SW  PID                 Serial#     Status           Sys Pwr  PoE Pwr  Watts",
             "--  ------------------  ----------  ---------------  -------  -------  -----"]
    for part in parts(device.model, device.serial, []):
        if part.kind != "psu":
            continue
        bad = part.slot == failed_psu(device)
        status, good = ("No Input Power", "Bad") if bad else ("OK", "Good")
        poe = good if spec.poe else "n/a"
        lines.append(f"{part.slot:<4}{part.pid:<20}{part.serial:<12}{status:<17}{good:<9}{poe:<9}{spec.psu_watts}")
    return "\n".join(lines)


def show_platform_diag(device: DeviceState) -> str:
    """`show platform diag`: each slot and its state; fan trays and power supplies are slots (``P0``..``P2``)."""
    spec = platform(device.model)
    up = time.time() - device.booted_at
    ago = _ago(up)
    lines = [f"Chassis type: {device.model}", ""]
    if spec.family == "router":
        for slot, what in (("0", device.model), ("R0", device.model), ("F0", device.model)):
            lines += [f"Slot: {slot}, {what}", "  Running state               : ok" + (", active" if slot != "0" else ""),
                      "  Internal state              : online", "  Internal operational state  : ok",
                      f"  Physical insert detect time : 00:00:45 ({ago} ago)",
                      f"  Software declared up time   : 00:01:40 ({ago} ago)",
                      "  CPLD version                : 19030421", "  Firmware version            : 17.9(4r)", ""]
    else:
        lines += [f"Slot: 1, {device.model}", "  Running state               : ok, active",
                  "  Internal state              : online", "  Internal operational state  : ok",
                  f"  Physical insert detect time : 00:00:45 ({ago} ago)",
                  f"  Software declared up time   : 00:01:40 ({ago} ago)",
                  "  CPLD version                : 19030421", "  Firmware version            : 17.9.1r", ""]
    for part in parts(device.model, device.serial, []):
        if part.kind not in ("psu", "fan"):
            continue
        failed = part.slot in (failed_psu(device), failed_fan(device))
        state = ("ps, fail" if part.kind == "psu" else "fail") if failed else "ok"
        lines += [f"Slot: {part.slot}, {part.pid}", f"  State                       : {state}",
                  f"  Physical insert detect time : 00:00:22 ({ago} ago)", ""]
    return "\n".join(lines)


def _ago(seconds: float) -> str:
    """How IOS abbreviates an age: ``00:12:34``, ``1d02h``, ``2w3d``."""
    whole = int(seconds)
    days, rest = divmod(whole, 86400)
    if days >= 7:
        return f"{days // 7}w{days % 7}d"
    if days:
        return f"{days}d{rest // 3600:02d}h"
    return f"{rest // 3600:02d}:{rest % 3600 // 60:02d}:{rest % 60:02d}"


def cpu_percent(device: DeviceState) -> tuple[int, int, int, int]:
    """(five seconds, of which interrupts, one minute, five minutes)."""
    forced = device.health.cpu_percent
    if forced is not None:
        return forced, max(1, forced // 10), forced, max(forced - 4, 1)
    base = 1 + _seed(device, "cpu") % 3
    return base, 0, base, max(base - 1, 1)


_PROCESSES = ("Chunk Manager", "Load Meter", "PKI Trustpool", "Retransmission of", "IPC ISSU Dispatch",
              "Check heaps", "Pool Manager", "DiscardQ Backgrou", "Timers", "WATCH_AFS", "ARP Input",
              "ARP Background", "CEF background", "IP Input", "IP Background", "TCP Timer", "TCP Protocols",
              "SSH Process", "OSPF-1 Hello", "OSPF-1 Router", "BGP Router", "BGP I/O", "BGP Scanner",
              "CDP Protocol", "SNMP ENGINE", "Syslog Traps")


def show_processes_cpu(device: DeviceState) -> str:
    five_sec, interrupts, one_min, five_min = cpu_percent(device)
    up = max(1.0, time.time() - device.booted_at)
    hog = "IP Input" if device.health.cpu_percent is not None else None
    lines = [(f"CPU utilization for five seconds: {five_sec}%/{interrupts}%; one minute: {one_min}%; "
              f"five minutes: {five_min}%"),
             " PID Runtime(ms)     Invoked      uSecs   5Sec   1Min   5Min TTY Process "]
    for pid, name in enumerate(_PROCESSES, start=1):
        invoked = int(up * (1 + _seed(device, name) % 7) / 10) + pid
        usecs = 10 + _seed(device, "u" + name) % 900
        runtime = invoked * usecs // 1000
        share = (five_sec - interrupts - 1.0) if name == hog else (0.07 if name in ("IP Input", "SSH Process") else 0.0)
        lines.append(f"{pid:>4}{runtime:>12}{invoked:>12}{usecs:>11}{share:>6.2f}%{share:>6.2f}%{share:>6.2f}%"
                     f"{0:>4} {name} ")
    return "\n".join(lines)


def memory_used(device: DeviceState) -> int:
    return 378158164 + _seed(device, "memory") % 4_000_000


def show_processes_memory_sorted(device: DeviceState) -> str:
    used = memory_used(device)
    lines = [f"Processor Pool Total: {MEMORY_TOTAL} Used: {used:>10} Free: {MEMORY_TOTAL - used:>10}",
             " lsmpi_io Pool Total:    6295128 Used:    6294296 Free:        832", "",
             " PID TTY  Allocated      Freed    Holding    Getbufs    Retbufs Process"]
    holders = [("*Init*", 0, 0.62), ("IOSD ipc task", 221, 0.09), ("RF Slave Main Thread", 110, 0.04),
               ("BGP Router", 502, 0.03), ("CEF: IPv4 process", 163, 0.03), ("OSPF-1 Router", 488, 0.02),
               ("Chunk Manager", 1, 0.01), ("SSH Process", 360, 0.005)]
    for name, pid, share in holders:
        holding = int(used * share)
        lines.append(f"{pid:>4}{0:>4}{holding * 2:>11}{holding:>11}{holding:>11}{0:>11}{0:>11} {name}")
    lines.append(f"{used:>40} Total")
    return "\n".join(lines)


def show_redundancy(device: DeviceState) -> str:
    up = uptime_text(time.time() - device.booted_at)
    slot = "slot 1" if platform(device.model).family == "switch" else "slot 6"
    return "\n".join([
        "", "Redundant System Information :", "------------------------------",
        f"       Available system uptime = {up}",
        "Switchovers system experienced = 0",
        "              Standby failures = 0",
        "        Last switchover reason = none", "",
        "                 Hardware Mode = Simplex",
        "    Configured Redundancy Mode = Non-redundant",
        "     Operating Redundancy Mode = Non-redundant",
        "              Maintenance Mode = Disabled",
        "                Communications = Down      Reason: Failure", "",
        "Current Processor Information :", "-------------------------------",
        f"               Active Location = {slot}",
        "        Current Software state = ACTIVE",
        f"       Uptime in current state = {up}",
        (f"                 Image Version = Cisco IOS Software [Cupertino], {device.model.split('-')[0]} Software "
         f"(X86_64_LINUX_IOSD-UNIVERSALK9-M), Version {device.version}, RELEASE SOFTWARE (fc3)"),
        "Technical Support: http://www.cisco.com/techsupport",
        "Copyright (c) 1986-2026 by Cisco Systems, Inc.",
        "Compiled Fri 20-Oct-26 10:44 by mcpre",
        f"                          BOOT = bootflash:{device.image},12;",
        "                   CONFIG_FILE = ",
        "        Configuration register = 0x2102", "",
        "Peer (slot: unavailable) information is not available because it is in 'DISABLED' state",
    ])


def _license_stamp(moment: datetime) -> str:
    return f"{moment:%b} {moment.day:>2} {moment:%H:%M:%S %Y} UTC"


def show_license_status(device: DeviceState) -> str:
    """Smart Licensing Using Policy, last reported the day the device booted (a stable value per boot)."""
    booted = datetime.fromtimestamp(device.booted_at, UTC).replace(microsecond=0)
    acked = booted - timedelta(hours=1 + _seed(device, "license") % 20)
    return "\n".join([
        "Utility:", "  Status: DISABLED", "",
        "Smart Licensing Using Policy:", "  Status: ENABLED", "",
        "Account Information:", "  Smart Account: LNPDN As of " + _license_stamp(acked),
        "  Virtual Account: Network", "",
        "Data Privacy:", "  Sending Hostname: yes", "    Callhome hostname privacy: DISABLED",
        "    Smart Licensing hostname privacy: DISABLED", "  Version privacy: DISABLED", "",
        "Transport:", "  Type: cslu", "  Cslu address: http://cslu-local:8182/cslu/v1/pi", "  Proxy:",
        "    Not Configured", "  VRF:", "    Not Configured", "",
        "Policy:", "  Policy in use: Installed On " + _license_stamp(acked),
        "  Policy name: SLE Policy", "  Reporting ACK required: yes (Customer Policy)", "",
        "Miscellaneous:", "  Custom Id: <empty>", "",
        "Usage Reporting:",
        f"  Last ACK received: {_license_stamp(acked)}",
        f"  Next ACK deadline: {_license_stamp(acked + timedelta(days=90))}",
        "  Reporting push interval: 30  days",
        "  Next ACK push check: <none>",
        f"  Next report push: {_license_stamp(acked + timedelta(days=30))}",
        f"  Last report push: {_license_stamp(acked)}",
        "  Last report file write: <none>", "",
        "Trust Code Installed: <none>",
    ])
