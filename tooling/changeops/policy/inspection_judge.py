"""Judge what an inspection measured against the thresholds of ``policies/inspections.yml``.

Every anomaly names the device, the check, its severity, the measured value and the
threshold it crossed, in Chinese and English; counters (interface errors, switchovers,
log messages) are judged on what changed since the previous inspection where one exists.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from changeops.policy.inspections import Above, Below, Thresholds
from changeops.records.inspection_result import (
    Anomaly,
    AnomalySeverity,
    Comparison,
    Delta,
    InspectionResult,
    Measured,
    Sensor,
)


@dataclass(frozen=True)
class Wording:
    zh: str
    en: str


def _above(value: float, level: Above | None) -> AnomalySeverity | None:
    if level is None:
        return None
    return "critical" if value >= level.critical else "warning" if value >= level.warning else None


def _below(value: float, level: Below | None) -> AnomalySeverity | None:
    if level is None:
        return None
    return "critical" if value <= level.critical else "warning" if value <= level.warning else None


def _number(value: float) -> str:
    return f"{value:g}"


def _span(level: Above | Below | None, unit: str = "", sign: str = "") -> str:
    """``warning/critical`` of a level, as the report shows the threshold."""
    if level is None:
        return ""
    return f"{sign}{_number(level.warning)}{unit}/{sign}{_number(level.critical)}{unit}"


def _anomaly(device: Measured, check: str, subject: str, severity: AnomalySeverity | None, measured: str,
             threshold: str, words: Wording) -> Iterator[Anomaly]:
    if severity is not None:
        yield Anomaly(host=device.host, check=check, subject=subject, severity=severity, measured=measured,
                      threshold=threshold, zh=words.zh, en=words.en)


def judge_device(device: Measured, limits: Thresholds, previous: Measured | None) -> list[Anomaly]:
    """The anomalies of one device, worst first."""
    found = [*_temperatures(device, limits), *_units(device, limits), *_resources(device, limits),
             *_interfaces(device, limits, previous), *_neighbours(device, limits), *_logs(device, limits, previous),
             *_redundancy(device, limits, previous), *_license(device, limits), *_uptime(device, limits)]
    return sorted(found, key=lambda a: (a.severity != "critical", a.check, a.subject))


def _own(sensor: Sensor) -> Above | None:
    """A sensor's own yellow/red levels, when it reports both in order."""
    if sensor.warning_at is None or sensor.critical_at is None or sensor.warning_at > sensor.critical_at:
        return None
    return Above(warning=sensor.warning_at, critical=sensor.critical_at)


def _temperatures(device: Measured, limits: Thresholds) -> Iterator[Anomaly]:
    for sensor in device.temperatures:
        levels = [level for level in (limits.temperature_celsius, _own(sensor)) if level is not None]
        found = {_above(sensor.celsius, level) for level in levels}
        severity: AnomalySeverity | None = "critical" if "critical" in found else "warning" if "warning" in found \
            else None
        threshold = (f"{_number(min(lv.warning for lv in levels))}/{_number(min(lv.critical for lv in levels))} °C"
                     if levels else "")
        yield from _anomaly(device, "temperature", sensor.name, severity, f"{_number(sensor.celsius)} °C", threshold,
                            Wording(f"温度传感器 {sensor.name} 读数 {_number(sensor.celsius)} °C，超过告警门限",
                                    f"temperature sensor {sensor.name} reads {_number(sensor.celsius)} °C, "
                                    "above its threshold"))


def _units(device: Measured, limits: Thresholds) -> Iterator[Anomaly]:
    healthy = {state.lower() for state in limits.unit_ok_states}
    severity: AnomalySeverity = "critical" if limits.unit_failed == "critical" else "warning"
    for check, units, zh, en in (("power", device.power_supplies, "电源", "power supply"),
                                 ("fans", device.fans, "风扇", "fan")):
        for unit in units:
            if unit.status.strip().lower() not in healthy:
                yield from _anomaly(device, check, unit.name, severity, unit.status, "/".join(limits.unit_ok_states),
                                    Wording(f"{zh} {unit.name} 状态异常：{unit.status}",
                                            f"{en} {unit.name} is {unit.status}"))


def _resources(device: Measured, limits: Thresholds) -> Iterator[Anomaly]:
    for check, value, level, zh, en in (
            ("cpu", device.cpu_5min_percent, limits.cpu_5min_percent, "CPU 5 分钟平均利用率", "5-minute CPU load"),
            ("memory", device.memory_used_percent, limits.memory_used_percent, "内存使用率", "memory in use"),
            ("disk", device.disk_used_percent, limits.disk_used_percent, "磁盘使用率", "disk in use")):
        if value is not None:
            yield from _anomaly(device, check, "", _above(value, level), f"{_number(value)}%",
                                _span(level, "%"),
                                Wording(f"{zh} {_number(value)}%，偏高", f"{en} is {_number(value)}%, too high"))


def _interfaces(device: Measured, limits: Thresholds, previous: Measured | None) -> Iterator[Anomaly]:
    before = {i.name: i for i in previous.interfaces} if previous else {}
    for interface in device.interfaces:
        errors = max(interface.crc, interface.input_errors)
        yield from _anomaly(device, "interfaces", interface.name, _above(errors, limits.interface_errors),
                            f"CRC {interface.crc}, input {interface.input_errors}",
                            _span(limits.interface_errors),
                            Wording(f"接口 {interface.name} 累计 CRC/输入错误 {errors}",
                                    f"interface {interface.name} has counted {errors} CRC/input errors"))
        old = before.get(interface.name)
        if old is not None:
            added = errors - max(old.crc, old.input_errors)
            level = limits.interface_errors_increase
            yield from _anomaly(device, "interfaces", f"{interface.name} +", _above(added, level), f"+{added}",
                                _span(level, sign="+"),
                                Wording(f"接口 {interface.name} 自上次巡检以来新增 CRC/输入错误 {added}",
                                        f"interface {interface.name} added {added} CRC/input errors since the "
                                        "previous inspection"))


def _neighbour_up(state: str) -> bool:
    word = state.upper()
    return word.startswith(("FULL", "2WAY")) or word.isdigit()


def _neighbours(device: Measured, limits: Thresholds) -> Iterator[Anomaly]:
    level = limits.neighbour_up_minutes
    for peer in device.neighbours:
        name = f"{peer.protocol.upper()} {peer.neighbour}"
        if not _neighbour_up(peer.state):
            yield from _anomaly(device, "neighbours", name, "critical", peer.state, "FULL/Established",
                                Wording(f"{name} 邻居未建立（{peer.state}）", f"{name} is not up ({peer.state})"))
        elif peer.up_minutes is not None:
            yield from _anomaly(device, "neighbours", name, _below(peer.up_minutes, level), f"{peer.up_minutes} min",
                                _span(level, " min"),
                                Wording(f"{name} 邻居仅建立 {peer.up_minutes} 分钟，近期发生过震荡",
                                        f"{name} has been up only {peer.up_minutes} min: it flapped"))


def _logs(device: Measured, limits: Thresholds, previous: Measured | None) -> Iterator[Anomaly]:
    seen = {(e.at, e.mnemonic, e.message) for e in previous.logs} if previous else set()
    fresh = [e for e in device.logs if (e.at, e.mnemonic, e.message) not in seen]
    level = limits.log_severity
    severities: tuple[AnomalySeverity, ...] = ("critical", "warning")
    for severity in severities:
        worst = [e for e in fresh if _below(e.severity, level) == severity]
        if worst:
            sample = worst[0]
            yield from _anomaly(device, "logging", sample.mnemonic, severity,
                                f"{len(worst)} × severity {min(e.severity for e in worst)}",
                                f"severity ≤ {_span(level)}",
                                Wording(f"日志中有 {len(worst)} 条严重级别消息，"
                                        f"例如 %{sample.mnemonic}: {sample.message}",
                                        f"{len(worst)} severe log message(s), e.g. %{sample.mnemonic}: "
                                        f"{sample.message}"))


def _redundancy(device: Measured, limits: Thresholds, previous: Measured | None) -> Iterator[Anomaly]:
    if device.switchovers is None:
        return
    base = previous.switchovers if previous is not None and previous.switchovers is not None else 0
    added = max(device.switchovers - base, 0)
    level = limits.switchovers
    yield from _anomaly(device, "redundancy", "", _above(added, level), str(added),
                        _span(level),
                        Wording(f"自上次巡检以来发生 {added} 次主备切换", f"{added} redundancy switchover(s) since the "
                                "previous inspection"))


UNAUTHORISED = ("NOT AUTHORIZED", "UNAUTHORIZED", "EXPIRED", "OUT OF COMPLIANCE", "EVAL MODE", "NO LICENSE")


def _authorised(status: str) -> bool:
    """False when the device reports its licence as not authorised, expired or out of compliance."""
    words = " ".join(status.upper().split())
    return not any(bad in words for bad in UNAUTHORISED)


def _license(device: Measured, limits: Thresholds) -> Iterator[Anomaly]:
    status = device.license_status
    if status is not None and not _authorised(status):
        severity: AnomalySeverity = "critical" if limits.license_unauthorised == "critical" else "warning"
        yield from _anomaly(device, "license", "", severity, status, "AUTHORIZED",
                            Wording(f"许可证未授权：{status}", f"the licence is not authorised: {status}"))


def _uptime(device: Measured, limits: Thresholds) -> Iterator[Anomaly]:
    if device.uptime_minutes is None:
        return
    level = limits.uptime_minutes
    reason = f" ({device.reload_reason})" if device.reload_reason else ""
    yield from _anomaly(device, "uptime", "", _below(device.uptime_minutes, level), f"{device.uptime_minutes} min",
                        _span(level, " min"),
                        Wording(f"设备运行时间仅 {device.uptime_minutes} 分钟，可能发生过非计划重启{reason}",
                                f"up for only {device.uptime_minutes} min: an unexpected reload{reason}"))


def compare(anomalies: list[Anomaly], devices: list[Measured], previous: InspectionResult | None) -> Comparison:
    """New, resolved and persisting anomalies, and the counters that moved, against ``previous``."""
    if previous is None:
        return Comparison(new=tuple(sorted({a.key for a in anomalies})))
    now, before = {a.key for a in anomalies}, {a.key for a in previous.anomalies}
    return Comparison(previous=previous.change, new=tuple(sorted(now - before)),
                      resolved=tuple(sorted(before - now)), persisting=tuple(sorted(now & before)),
                      deltas=tuple(d for device in devices for d in _deltas(device, previous.device(device.host))))


def _deltas(device: Measured, previous: Measured | None) -> Iterator[Delta]:
    if previous is None:
        return
    before = {i.name: i for i in previous.interfaces}
    for interface in device.interfaces:
        old = before.get(interface.name)
        for counter in ("crc", "input_errors"):
            if old is not None and getattr(interface, counter) != getattr(old, counter):
                yield Delta(host=device.host, counter=counter, subject=interface.name,
                            previous=getattr(old, counter), now=getattr(interface, counter))
    if device.switchovers is not None and previous.switchovers is not None \
            and device.switchovers != previous.switchovers:
        yield Delta(host=device.host, counter="switchovers", previous=previous.switchovers, now=device.switchovers)
