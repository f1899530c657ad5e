"""`show` output about the box itself: version, inventory, configs, logging, flash, install state.

The formats follow IOS-XE 17 closely enough for cisco.ios's parsers
(cliconf ``get_device_info``, ``ios_facts``) and the playbooks' regexes.
"""

from __future__ import annotations

import time

from changeops_lab.access_lists import show_access_lists
from changeops_lab.chassis import parts
from changeops_lab.device import DeviceState
from changeops_lab.interface_names import canonical
from changeops_lab.software import FLASH_TOTAL, FlashFile


def show_version(device: DeviceState) -> str:
    v = device.version
    family = device.model.split("-")[0]
    return "\n".join([
        f"Cisco IOS XE Software, Version {v}",
        (f"Cisco IOS Software [Cupertino], {family} Software (X86_64_LINUX_IOSD-UNIVERSALK9-M), "
         f"Version {v}, RELEASE SOFTWARE (fc3)"),
        "Technical Support: http://www.cisco.com/techsupport",
        "Copyright (c) 1986-2026 by Cisco Systems, Inc.",
        "Compiled Fri 20-Oct-26 10:44 by mcpre",
        "",
        "",
        "Cisco IOS-XE software, Copyright (c) 2005-2026 by cisco Systems, Inc.",
        "All rights reserved.  This is a simulated device of the changeops lab.",
        "",
        "ROM: IOS-XE ROMMON",
        "",
        f"{device.hostname} uptime is {uptime_text(time.time() - device.booted_at)}",
        f"Uptime for this control processor is {uptime_text(time.time() - device.booted_at)}",
        f"System returned to ROM by {device.reload_reason}",
        f'System image file is "flash:{device.image}"',
        f"Last reload reason: {device.reload_reason}",
        "",
        f"cisco {device.model} (1RU) processor (revision 1.0) with 3744173K/6147K bytes of memory.",
        f"Processor board ID {device.serial}",
        "Router operating mode: Autonomous",
        f"{len(device.ports)} Gigabit Ethernet interfaces",
        "32768K bytes of non-volatile configuration memory.",
        "16777216K bytes of physical memory.",
        f"{FLASH_TOTAL // 1024}K bytes of flash memory at flash:.",
        "",
        "Configuration register is 0x2102",
    ])


def uptime_text(seconds: float) -> str:
    """``1 year, 2 weeks, 3 days, 4 hours, 5 minutes``, leaving out the units that are zero (minutes stay)."""
    minutes = int(seconds // 60)
    shown: list[str] = []
    for unit, size in (("year", 525600), ("week", 10080), ("day", 1440), ("hour", 60)):
        count, minutes = divmod(minutes, size)
        if count:
            shown.append(f"{count} {unit}{'s' if count != 1 else ''}")
    return ", ".join(shown + [f"{minutes} minute{'s' if minutes != 1 else ''}"])


def show_inventory(device: DeviceState) -> str:
    """Every field-replaceable unit: chassis, power supplies, fans, modules and the optics in the ports."""
    blocks = [f'NAME: "{p.name}", DESCR: "{p.descr}"\nPID: {p.pid:<18}, VID: {p.vid:<5}, SN: {p.serial}'
              for p in parts(device.model, device.serial, [port.name for port in device.ports])]
    return "\n\n".join(blocks)


def show_running(device: DeviceState, args: list[str]) -> str:
    """`show running-config [all|full|brief] [interface NAME]` (NAME abbreviated as IOS accepts it)."""
    body = device.running.render(defaults="all" in args)
    keyword = next((i for i, a in enumerate(args[:2]) if len(a) >= 3 and "interface".startswith(a.lower())), None)
    if keyword is not None:
        name = canonical("".join(args[keyword + 1:]))
        section = device.running.section([f"interface {name}"]) if name else None
        if section is None:
            return "                              ^\n% Invalid input detected at '^' marker."
        body = "\n".join([section.text, *(" " + c.text for c in section.children), "end"])
    return f"Building configuration...\n\nCurrent configuration : {len(body)} bytes\n!\n{body}"


def show_startup(device: DeviceState) -> str:
    body = device.startup.render()
    return f"Using {len(body)} out of 33554432 bytes\n!\n{body}"


def show_logging(device: DeviceState) -> str:
    head = [
        ("Syslog logging: enabled (0 messages dropped, 0 messages rate-limited, 0 flushes, 0 overruns, "
         "xml disabled, filtering disabled)"),
        "",
        "No Active Message Discriminator.",
        "",
        "    Console logging: disabled",
        "    Monitor logging: level debugging, 0 messages logged, xml disabled,",
        f"    Buffer logging:  level informational, {len(device.log)} messages logged, xml disabled,",
        "",
        "Log Buffer (102400 bytes):",
        "",
    ]
    return "\n".join(head + device.log)


def show_dir(device: DeviceState, name: str | None) -> str:
    files = sorted(device.software.flash.values(), key=lambda f: f.name)
    if name:
        files = [f for f in files if f.name == name]
        if not files:
            return f"%Error opening flash:/{name} (No such file or directory)"
    lines = ["Directory of flash:/", ""]
    lines += [_dir_line(index, f) for index, f in enumerate(files, start=11)]
    free = device.software.free_bytes()
    return "\n".join(lines + ["", f"{FLASH_TOTAL} bytes total ({free} bytes free)"])


def _dir_line(index: int, flash_file: FlashFile) -> str:
    return f"{index:>7}  -rw- {flash_file.size:>12}  {flash_file.modified}  {flash_file.name}"


def show_install_summary(device: DeviceState) -> str:
    rule = "-" * 80
    rows = [f"SMU   {p.state}    flash:{p.filename}" for p in device.software.packages if p.state != "I"]
    return "\n".join([
        "[ R0 ] Installed Package(s) Information:",
        "State (St): I - Inactive, U - Activated & Uncommitted,",
        "            C - Activated & Committed, D - Deactivated & Uncommitted",
        rule, "Type  St   Filename/Version", rule, *rows, f"IMG   C    {device.version}.0.1", "",
        rule, "Auto abort timer: inactive", rule,
    ])


def show_privilege(privileged: bool) -> str:
    return f"Current privilege level is {15 if privileged else 1}"


def show_memory() -> str:
    return ("                Head    Total(b)     Used(b)     Free(b)   Lowest(b)  Largest(b)\n"
            "Processor  7F3C3D0010  3834191232   512743904  3321447328  3309124560  3318161004\n"
            " lsmpi_io  7F3BC1C1A8     6295128     6294304         824         824         412")


def show_acls(device: DeviceState) -> str:
    """`show access-lists`: every named IPv4 access list with its numbered entries."""
    sections = [(line.text, [entry.text for entry in line.children]) for line in device.running.lines(("ip",))
                if line.text.startswith("ip access-list ")]
    return show_access_lists(sections)


def show_banner(device: DeviceState, args: list[str]) -> str | None:
    """`show banner login|motd|exec`: the text between the delimiters (None: not a banner kind)."""
    if len(args) != 1:
        return None
    line = device.running.value([], "banner", args[0])
    return "\n".join(line.splitlines()[1:-1]) if line else ""
