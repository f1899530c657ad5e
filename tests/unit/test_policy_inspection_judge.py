"""Judging what an inspection measured: each check at warning and at critical, and the comparison with the
previous inspection (new / resolved / persisting anomalies, counters judged on what they added)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from changeops.policy.inspection_judge import compare, judge_device
from changeops.policy.inspections import Below, Thresholds
from changeops.records.inspection_result import (
    Anomaly,
    InspectionResult,
    Interface,
    LogEntry,
    Measured,
    Neighbour,
    Sensor,
    Unit,
)

LIMITS = Thresholds()


def device(**fields: Any) -> Measured:
    return Measured(host="sy-dc1-core-r1", **fields)


def judged(measured: Measured, previous: Measured | None = None, limits: Thresholds = LIMITS) -> list[Anomaly]:
    return judge_device(measured, limits, previous)


def only(anomalies: list[Anomaly]) -> Anomaly:
    assert len(anomalies) == 1, anomalies
    return anomalies[0]


def test_a_healthy_device_has_no_anomaly() -> None:
    healthy = device(temperatures=(Sensor(name="Inlet", celsius=27, warning_at=46, critical_at=56),),
                     power_supplies=(Unit(name="P0", status="OK"),), fans=(Unit(name="P2", status="ok"),),
                     cpu_5min_percent=3, memory_used_percent=20.4, uptime_minutes=90 * 24 * 60, switchovers=0,
                     interfaces=(Interface(name="Te0/1/0", crc=0, input_errors=0),), license_status="AUTHORIZED",
                     neighbours=(Neighbour(protocol="bgp", neighbour="10.20.1.2", state="12", up_minutes=20000),
                                 Neighbour(protocol="ospf", neighbour="10.20.1.2", state="FULL/  -")),
                     logs=(LogEntry(severity=5, mnemonic="CONFIG_I", message="Configured from console"),))
    assert judged(healthy) == []


@pytest.mark.parametrize(("celsius", "severity"), [(50, "warning"), (58, "critical"), (45, None)])
def test_temperature_is_judged_by_the_sensors_own_levels(celsius: float, severity: str | None) -> None:
    found = judged(device(temperatures=(Sensor(name="Inlet", celsius=celsius, warning_at=46, critical_at=56),)))
    assert [a.severity for a in found] == ([severity] if severity else [])
    if found:
        assert (found[0].check, found[0].subject, found[0].measured) == ("temperature", "Inlet", f"{celsius} °C")


@pytest.mark.parametrize(("celsius", "severity"), [(56, "warning"), (71, "critical")])
def test_temperature_is_judged_by_the_absolute_levels_when_the_sensor_has_none(celsius: float, severity: str) -> None:
    anomaly = only(judged(device(temperatures=(Sensor(name="Hotspot", celsius=celsius),))))
    assert anomaly.severity == severity and anomaly.threshold == "55/70 °C"


def test_a_failed_fan_and_power_supply_are_critical_with_their_state() -> None:
    found = judged(device(fans=(Unit(name="P2", status="fail"), Unit(name="P3", status="OK")),
                          power_supplies=(Unit(name="P1", status="No Input Power"),)))
    assert [(a.check, a.subject, a.severity, a.measured) for a in found] == [
        ("fans", "P2", "critical", "fail"), ("power", "P1", "critical", "No Input Power")]
    assert found[0].zh == "风扇 P2 状态异常：fail" and found[1].en == "power supply P1 is No Input Power"


@pytest.mark.parametrize(("field", "check", "value", "severity"), [
    ("cpu_5min_percent", "cpu", 75, "warning"), ("cpu_5min_percent", "cpu", 91, "critical"),
    ("memory_used_percent", "memory", 85, "warning"), ("memory_used_percent", "memory", 95, "critical"),
    ("disk_used_percent", "disk", 80, "warning"), ("disk_used_percent", "disk", 90, "critical"),
])
def test_resources_warn_then_turn_critical(field: str, check: str, value: float, severity: str) -> None:
    anomaly = only(judged(device(**{field: value})))
    assert (anomaly.check, anomaly.severity, anomaly.measured) == (check, severity, f"{value}%")


@pytest.mark.parametrize(("errors", "severity"), [(150, "warning"), (20000, "critical")])
def test_interface_errors_are_judged_in_absolute(errors: int, severity: str) -> None:
    anomaly = only(judged(device(interfaces=(Interface(name="Gi0/0/0", crc=errors, input_errors=errors),))))
    assert (anomaly.subject, anomaly.severity) == ("Gi0/0/0", severity)
    assert anomaly.measured == f"CRC {errors}, input {errors}"


def test_interface_errors_added_since_the_previous_inspection_are_judged_too() -> None:
    before = device(interfaces=(Interface(name="Gi0/0/0", crc=40, input_errors=40),))
    now = device(interfaces=(Interface(name="Gi0/0/0", crc=90, input_errors=90),))
    anomaly = only(judged(now, before))
    assert (anomaly.subject, anomaly.severity, anomaly.measured) == ("Gi0/0/0 +", "warning", "+50")
    assert judged(now, now) == [], "no increase, and below the absolute level"


def test_a_neighbour_not_up_is_critical_and_a_young_one_flapped() -> None:
    found = judged(device(neighbours=(Neighbour(protocol="bgp", neighbour="10.20.3.1", state="Idle"),
                                      Neighbour(protocol="bgp", neighbour="10.20.1.2", state="4", up_minutes=5),
                                      Neighbour(protocol="bgp", neighbour="10.20.2.1", state="4", up_minutes=30),
                                      Neighbour(protocol="ospf", neighbour="10.20.1.2", state="INIT/DROTHER"))))
    assert sorted((a.subject, a.severity, a.measured) for a in found) == [
        ("BGP 10.20.1.2", "critical", "5 min"), ("BGP 10.20.2.1", "warning", "30 min"),
        ("BGP 10.20.3.1", "critical", "Idle"), ("OSPF 10.20.1.2", "critical", "INIT/DROTHER")]


def test_log_messages_count_by_severity_and_only_the_new_ones() -> None:
    alert = LogEntry(severity=1, mnemonic="ALERT", message="Temp: Inlet, State: Critical", at="Dec 1 13:06:15")
    fan = LogEntry(severity=3, mnemonic="FANFAIL", message="The fan in slot P2/0 fails", at="Dec 1 13:06:15")
    found = judged(device(logs=(alert, fan, LogEntry(severity=5, mnemonic="UPDOWN", message="up"))))
    assert [(a.severity, a.subject, a.measured) for a in found] == [
        ("critical", "ALERT", "1 × severity 1"), ("warning", "FANFAIL", "1 × severity 3")]
    assert judged(device(logs=(alert, fan)), device(logs=(alert, fan))) == [], "seen at the previous inspection"


def test_switchovers_are_counted_since_the_previous_inspection() -> None:
    assert judged(device(switchovers=3), device(switchovers=3)) == []
    assert only(judged(device(switchovers=4), device(switchovers=3))).severity == "warning"
    assert only(judged(device(switchovers=2))).severity == "critical"


def test_an_unauthorised_licence_is_a_warning_and_an_authorised_one_is_not() -> None:
    assert only(judged(device(license_status="NOT AUTHORIZED"))).check == "license"
    assert only(judged(device(license_status="EVAL MODE"))).severity == "warning"
    assert judged(device(license_status="Smart Licensing Using Policy ENABLED")) == []


@pytest.mark.parametrize(("minutes", "severity"), [(3 * 24 * 60, "warning"), (30, "critical")])
def test_a_short_uptime_is_an_unexpected_reload(minutes: int, severity: str) -> None:
    anomaly = only(judged(device(uptime_minutes=minutes, reload_reason="power-on")))
    assert anomaly.severity == severity and "power-on" in anomaly.en


def test_a_null_threshold_leaves_its_check_unjudged() -> None:
    limits = Thresholds(uptime_minutes=None, neighbour_up_minutes=None)
    flapped = Neighbour(protocol="bgp", neighbour="10.20.1.2", state="4", up_minutes=1)
    assert judged(device(uptime_minutes=1, neighbours=(flapped,)), limits=limits) == []
    assert judged(device(uptime_minutes=1), limits=Thresholds(uptime_minutes=Below(warning=0, critical=0))) == []


def _result(change: str, anomalies: list[Anomaly], devices: tuple[Measured, ...]) -> InspectionResult:
    return InspectionResult(change=change, period="2026-11", inspected=datetime(2026, 11, 20, tzinfo=UTC),
                            devices=devices, anomalies=tuple(anomalies))


def test_comparison_names_new_resolved_and_persisting_anomalies_and_counter_deltas() -> None:
    before = device(fans=(Unit(name="P2", status="fail"),), power_supplies=(Unit(name="P1", status="bad"),),
                    interfaces=(Interface(name="Gi0/0/0", crc=5),))
    now = device(fans=(Unit(name="P2", status="fail"),), cpu_5min_percent=95,
                 interfaces=(Interface(name="Gi0/0/0", crc=9),))
    previous = _result("CHG-20261124-monthly-inspection", judged(before), (before,))

    comparison = compare(judged(now, before), [now], previous)

    assert comparison.previous == "CHG-20261124-monthly-inspection"
    assert comparison.new == ("sy-dc1-core-r1/cpu",)
    assert comparison.resolved == ("sy-dc1-core-r1/power/P1",)
    assert comparison.persisting == ("sy-dc1-core-r1/fans/P2",)
    assert [(d.counter, d.subject, d.previous, d.now) for d in comparison.deltas] == [("crc", "Gi0/0/0", 5, 9)]


def test_without_a_previous_inspection_everything_is_new() -> None:
    now = device(cpu_5min_percent=95)
    comparison = compare(judged(now), [now], None)
    assert comparison.previous is None and comparison.new == ("sy-dc1-core-r1/cpu",) and comparison.deltas == ()
