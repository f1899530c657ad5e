"""What changeops measures and judges from the lab devices' answers to the inspection playbook's commands.

The commands are read from ``playbooks/inspect.yml`` (the contract with the lab), the answers come from
the lab's CLI sessions (see test_show_for_inspection.py's bench) and are parsed by ntc-templates as
``ansible.utils.cli_parse`` parses them; faults go through the lab's ``Faults.apply``.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from changeops.execute.inspection_measure import measure_network, up_minutes
from changeops.policy.inspection_judge import judge_device
from changeops.policy.inspections import Thresholds
from changeops.records.inspection import CHECKS
from changeops.records.inspection_result import Anomaly, Measured
from test_show_for_inspection import DAY, ROUTER, SWITCH, Bench

REPO = Path(__file__).resolve().parents[3]
PLAYS = yaml.safe_load((REPO / "playbooks" / "inspect.yml").read_text(encoding="utf-8"))
COMMANDS: dict[str, str] = next(p for p in PLAYS if "inspection_commands" in p.get("vars", {}))["vars"][
    "inspection_commands"]


@pytest.fixture
def bench(monkeypatch: pytest.MonkeyPatch) -> Bench:
    return Bench(monkeypatch)


def measured(bench: Bench, host: str) -> Measured:
    parsed = {check: bench.parse(host, COMMANDS[check]) for check in CHECKS}
    return measure_network(host, {"checks": list(CHECKS), "parsed": parsed})


def anomalies(bench: Bench, host: str, previous: Measured | None = None) -> list[Anomaly]:
    return judge_device(measured(bench, host), Thresholds(), previous)


def test_the_playbook_runs_one_command_per_check() -> None:
    assert tuple(COMMANDS) == CHECKS


def test_a_healthy_router_is_measured_in_full_and_has_no_anomaly(bench: Bench) -> None:
    router = measured(bench, ROUTER)
    assert router.notes == ()
    assert (router.version, router.hardware, router.uptime_minutes) == ("17.09.04a", "ASR1002-HX",
                                                                        9 * 24 * 60 + 61)
    assert {p.name for p in router.parts} >= {"Chassis"} and all(p.serial for p in router.parts)
    assert [f.status for f in router.fans] == ["ok"] and {u.status for u in router.power_supplies} == {"OK"}
    assert router.temperatures and router.cpu_5min_percent is not None and router.memory_used_percent is not None
    assert {n.protocol for n in router.neighbours} == {"ospf", "bgp"} and router.switchovers == 0
    assert all(n.up_minutes == 9 * 24 * 60 for n in router.neighbours if n.protocol == "bgp")  # "1w2d"
    assert anomalies(bench, ROUTER) == []


@pytest.mark.parametrize(("kind", "argument", "check", "severity"), [
    ("fan-failed", None, "fans", "critical"),
    ("psu-failed", None, "power", "critical"),
    ("hot-sensor", "62", "temperature", "critical"),
    ("high-cpu", "95", "cpu", "critical"),
    ("high-cpu", "75", "cpu", "warning"),
])
def test_each_lab_fault_is_judged_as_its_check(bench: Bench, kind: str, argument: str | None, check: str,
                                               severity: str) -> None:
    bench.fault(SWITCH, kind, argument)
    found = {(a.check, a.severity) for a in anomalies(bench, SWITCH)}
    assert (check, severity) in found, found


def test_crc_errors_are_judged_and_their_increase_since_the_previous_inspection(bench: Bench) -> None:
    before = measured(bench, ROUTER)
    bench.fault(ROUTER, "crc-errors", "Te0/1/1 150")
    found = anomalies(bench, ROUTER, before)
    crc = {(a.subject, a.severity) for a in found if a.check == "interfaces"}
    assert crc == {("TenGigabitEthernet0/1/1", "warning"), ("TenGigabitEthernet0/1/1 +", "warning")}


def test_a_flapped_neighbour_is_young_and_logged(bench: Bench) -> None:
    bench.fault(ROUTER, "neighbour-flap")
    bench.now += 300  # five minutes after the flap
    found = anomalies(bench, ROUTER)
    assert any(a.check == "neighbours" and a.severity == "critical" and a.measured == "5 min" for a in found), found
    assert any(a.check == "logging" for a in found)


def test_bgp_up_times_in_every_format() -> None:
    assert [up_minutes(t) for t in ("00:05:12", "1d02h", "1w2d", "2y3w", "never")] == [5, 1560, 12960,
                                                                                     2 * 525600 + 3 * 10080, None]


def test_a_long_uptime_is_no_reload(bench: Bench) -> None:
    for device in bench.devices.values():
        device.booted_at = bench.now - 400 * DAY
    assert measured(bench, ROUTER).uptime_minutes == 400 * 24 * 60
