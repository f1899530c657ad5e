"""From what the inspection playbook published to what a device measured.

``playbooks/inspect.yml`` runs the checklist's show commands and parses them with
ntc-templates (``ansible.utils.cli_parse``); it publishes, per host, the parsed rows of
each check (lists of dicts with ntc-templates' lowercase field names), and for a Linux host
a few Ansible facts.
This module turns that into :class:`~changeops.records.inspection_result.Measured`; a
check whose answer is missing or malformed leaves its field empty and a note.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from changeops.records.inspection_result import Interface, LogEntry, Measured, Neighbour, Part, Sensor, Unit

Rows = list[dict[str, Any]]
DURATION = re.compile(r"(\d+)([ywdhm])")
MINUTES = {"y": 525600, "w": 10080, "d": 1440, "h": 60, "m": 1}


def _int(value: Any) -> int | None:
    try:
        return int(str(value).strip())
    except (TypeError, ValueError):
        return None


def _text(value: Any) -> str:
    if isinstance(value, list):
        return " ".join(str(v) for v in value).strip()
    return str(value or "").strip()


def _first(value: Any) -> str:
    return str(value[0]) if isinstance(value, list) and value else _text(value)


def up_minutes(text: str) -> int | None:
    """Minutes in a BGP up/down time (``00:05:12``, ``1d02h``, ``3w2d``); None for ``never``."""
    text = text.strip().lower()
    if re.fullmatch(r"\d+:\d\d:\d\d", text):
        hours, minutes, _ = (int(p) for p in text.split(":"))
        return hours * 60 + minutes
    parts = DURATION.findall(text)
    return sum(int(n) * MINUTES[unit] for n, unit in parts) if parts else None


def _version(m: dict[str, Any], rows: Rows) -> None:
    row = rows[0]
    m["version"] = _text(row.get("version")) or None
    m["hardware"] = _first(row.get("hardware")) or None
    m["reload_reason"] = _text(row.get("reload_reason")) or None
    units = {"y": row.get("uptime_years"), "w": row.get("uptime_weeks"), "d": row.get("uptime_days"),
             "h": row.get("uptime_hours"), "m": row.get("uptime_minutes")}
    if any(_int(v) is not None for v in units.values()):
        m["uptime_minutes"] = sum((_int(v) or 0) * MINUTES[k] for k, v in units.items())


def _inventory(m: dict[str, Any], rows: Rows) -> None:
    m["parts"] = [Part(name=_text(r.get("name")), pid=_text(r.get("pid")), serial=_text(r.get("sn"))) for r in rows]


def _temperature(m: dict[str, Any], rows: Rows) -> None:
    sensors = []
    for row in rows:
        prefix = f"Switch {row['switch']} " if row.get("switch") else ""
        for place in ("inlet", "hotspot"):
            value = _int(row.get(f"{place}_temperature_value"))
            if value is not None:
                sensors.append(Sensor(name=f"{prefix}{place.capitalize()}", celsius=value,
                                      state=_text(row.get(f"{place}_temperature_state")),
                                      warning_at=_int(row.get(f"{place}_yellow_threshold")),
                                      critical_at=_int(row.get(f"{place}_red_threshold"))))
    m["temperatures"] = sensors


def _power(m: dict[str, Any], rows: Rows) -> None:
    m["power_supplies"] = [Unit(name=_text(r.get("ps_module")) or _text(r.get("pid")), status=_text(r.get("status")))
                           for r in rows if _text(r.get("status"))]


def _cpu(m: dict[str, Any], rows: Rows) -> None:
    value = _int(rows[0].get("cpu_usage_5_min"))
    m["cpu_5min_percent"] = float(value) if value is not None else None


def _memory(m: dict[str, Any], rows: Rows) -> None:
    total, used = _int(rows[0].get("memory_total")), _int(rows[0].get("memory_used"))
    if total and used is not None:
        m["memory_used_percent"] = round(100 * used / total, 1)


def _interfaces(m: dict[str, Any], rows: Rows) -> None:
    m["interfaces"] = [Interface(name=_text(r.get("interface")),
                                 status=f"{_text(r.get('link_status'))}/{_text(r.get('protocol_status'))}",
                                 input_errors=_int(r.get("input_errors")) or 0, crc=_int(r.get("crc")) or 0)
                       for r in rows if _text(r.get("interface"))]


def _logging(m: dict[str, Any], rows: Rows) -> None:
    m["logs"] = [LogEntry(severity=severity, mnemonic=_text(r.get("mnemonic")), message=_text(r.get("message")),
                          at=" ".join(_text(r.get(k)) for k in ("month", "day", "time") if _text(r.get(k))))
                 for r in rows if (severity := _int(r.get("severity"))) is not None]


def _ospf(m: dict[str, Any], rows: Rows) -> None:
    m.setdefault("neighbours", []).extend(
        Neighbour(protocol="ospf", neighbour=_text(r.get("neighbor_id")), state=_text(r.get("state")),
                  interface=_text(r.get("interface"))) for r in rows if _text(r.get("neighbor_id")))


def _bgp(m: dict[str, Any], rows: Rows) -> None:
    m.setdefault("neighbours", []).extend(
        Neighbour(protocol="bgp", neighbour=_text(r.get("bgp_neighbor")),
                  state=_text(r.get("state_or_prefixes_received")), up_minutes=up_minutes(_text(r.get("up_down"))))
        for r in rows if _text(r.get("bgp_neighbor")))


def _redundancy(m: dict[str, Any], rows: Rows) -> None:
    m["switchovers"] = _int(rows[0].get("switchovers"))


def _license(m: dict[str, Any], rows: Rows) -> None:
    row = rows[0]
    smart = _text(row.get("sl_enabled"))
    m["license_status"] = (_text(row.get("license_auth")) or _text(row.get("reg_status"))
                           or (f"Smart Licensing Using Policy {smart}" if smart else None))


def _fans(m: dict[str, Any], rows: Rows) -> None:
    """Fan trays are the slots of ``show platform diag`` whose part is a fan (their STATE is ok or fail)."""
    m["fans"] = [Unit(name=_text(r.get("slot_number")), status=_text(r.get("state")) or _text(r.get("running_state")))
                 for r in rows if "FAN" in _text(r.get("module_sku")).upper()]


PARSED: dict[str, Callable[[dict[str, Any], Rows], None]] = {
    "version": _version, "inventory": _inventory, "temperature": _temperature, "power": _power, "cpu": _cpu,
    "memory": _memory, "interfaces": _interfaces, "logging": _logging, "ospf": _ospf, "bgp": _bgp,
    "redundancy": _redundancy, "license": _license, "fans": _fans,
}


def measure_network(host: str, data: dict[str, Any]) -> Measured:
    """What one network device's published checks measured."""
    fields: dict[str, Any] = {"host": host, "kind": "network"}
    notes: list[str] = []
    checks = [str(c) for c in data.get("checks") or []]
    parsed = data.get("parsed") if isinstance(data.get("parsed"), dict) else {}
    for check in checks:
        rows = parsed.get(check) if isinstance(parsed, dict) else None
        if check in PARSED and isinstance(rows, list) and rows and all(isinstance(r, dict) for r in rows):
            try:
                PARSED[check](fields, rows)
            except (KeyError, TypeError, ValueError) as error:
                notes.append(f"{check}: the parsed answer was not understood ({error})")
        elif check in PARSED and check not in ("ospf", "bgp", "logging"):
            notes.append(f"{check}: no parsed answer")
    return Measured(checks=tuple(checks), notes=tuple(notes), **fields)


def measure_linux(host: str, data: dict[str, Any]) -> Measured:
    """Uptime, memory and the fullest mount of a Linux host, from Ansible facts."""
    facts = data.get("facts") if isinstance(data.get("facts"), dict) else {}
    assert isinstance(facts, dict)
    uptime = _int(facts.get("uptime_seconds"))
    memory = facts.get("memory_mb") or {}
    real = memory.get("real", {}) if isinstance(memory, dict) else {}
    total, free = _int(real.get("total")), _int(real.get("free"))
    nocache = memory.get("nocache", {}) if isinstance(memory, dict) else {}
    used = _int(nocache.get("used")) if isinstance(nocache, dict) else None
    if used is None and total is not None and free is not None:
        used = total - free
    disks = [100 * (1 - m["size_available"] / m["size_total"]) for m in facts.get("mounts") or []
             if isinstance(m, dict) and m.get("size_total")]
    return Measured(host=host, kind="linux", checks=("uptime", "memory", "disk"),
                    uptime_minutes=uptime // 60 if uptime is not None else None,
                    version=_text(facts.get("distribution_version")) or None,
                    memory_used_percent=round(100 * used / total, 1) if total and used is not None else None,
                    disk_used_percent=round(max(disks), 1) if disks else None)
