"""The show commands of a routine inspection, parsed by ntc-templates, on every platform of the demo inventory.

Devices are built from the demo inventory as the lab builds them and driven
through their CLI session without SSH; faults go through ``Faults.apply`` as
the lab's control channel applies them.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest
from changeops_lab.cli_session import CliSession
from changeops_lab.device import DeviceState
from changeops_lab.faults import FaultError, Faults
from changeops_lab.supervisor import plan_from_estate
from ntc_templates.parse import parse_output

REPO = Path(__file__).resolve().parents[3]
ROUTER, FIREWALL, SWITCH = "sy-dc1-core-r1", "sy-dc1-fw1", "sy-dc1-dist-sw1"
COMMANDS = ("show version", "show inventory", "show environment temperature", "show environment power all",
            "show platform diag", "show processes cpu", "show processes memory sorted", "show interfaces",
            "show logging", "show ip ospf neighbor", "show ip bgp summary", "show redundancy", "show license status")
ABBREVIATIONS = {"sh ver": "show version", "sh inven": "show inventory", "sh env t": "show environment temperature",
                 "sh env p a": "show environment power all", "sh plat di": "show platform diag",
                 "sh proc cpu": "show processes cpu", "sh pro mem so": "show processes memory sorted",
                 "sh int": "show interfaces", "sh log": "show logging", "sh ip ospf nei": "show ip ospf neighbor",
                 "sh ip bgp sum": "show ip bgp summary", "sh redu": "show redundancy",
                 "sh lic st": "show license status"}
DAY = 86400.0


class Bench:
    """The demo inventory's devices, a clock the test moves, and an enabled session on each device."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.now = 1_795_000_000.0
        monkeypatch.setattr(time, "time", lambda: self.now)
        builders, _ = plan_from_estate(REPO / ".lab", REPO, "netops")
        self.devices: dict[str, DeviceState] = {}
        for name, build in builders.items():
            device = build()
            device.booted_at = self.now - 9 * DAY - 3700  # up 1 week, 2 days, 1 hour, 1 minute
            self.devices[name] = device
        self.faults = {name: Faults() for name in self.devices}

    def lookup(self, name: str) -> DeviceState | None:
        return self.devices.get(name)

    def text(self, host: str, command: str) -> str:
        session = CliSession(self.devices[host], self.faults[host], self.lookup, enable_secret="s", user="netops")
        session.privileged = True
        return session.handle(command).output

    def parse(self, host: str, command: str) -> list[dict[str, Any]]:
        rows: list[dict[str, Any]] = parse_output(platform="cisco_ios", command=command, data=self.text(host, command))
        return rows

    def fault(self, host: str, kind: str, argument: str | None = None) -> None:
        self.faults[host].apply(kind, argument, None, self.devices[host], self.lookup)


@pytest.fixture
def bench(monkeypatch: pytest.MonkeyPatch) -> Bench:
    return Bench(monkeypatch)


def _one_host_per_model() -> list[str]:
    builders, _ = plan_from_estate(REPO / ".lab", REPO, "netops")
    chosen: dict[str, str] = {}
    for name, build in sorted(builders.items()):
        chosen.setdefault(build().model, name)
    return sorted(chosen.values())


HOSTS = _one_host_per_model()


def test_the_demo_inventory_covers_routers_firewalls_and_switches(bench: Bench) -> None:
    roles = {bench.devices[host].role for host in HOSTS}
    assert len(HOSTS) >= 8 and {"core-router", "edge-router", "firewall", "access-switch", "dist-switch"} <= roles


@pytest.mark.parametrize("host", HOSTS)
def test_every_inspection_command_parses_with_the_values_of_the_device(bench: Bench, host: str) -> None:
    device = bench.devices[host]
    version = bench.parse(host, "show version")[0]
    assert (version["hardware"], version["serial"]) == ([device.model], [device.serial])
    assert version["version"] == device.version and version["reload_reason"] == "Reload Command"
    assert (version["uptime_weeks"], version["uptime_days"], version["uptime_hours"]) == ("1", "2", "1")

    inventory = bench.parse(host, "show inventory")
    assert inventory[0]["sn"] == device.serial and inventory[0]["pid"] == device.model
    assert all(row["name"] and row["descr"] and row["pid"] and row["vid"] and row["sn"] for row in inventory)
    part_serials = [row["sn"] for row in inventory if row["sn"] != device.serial]
    assert len(part_serials) == len(set(part_serials)) >= 3, "power supplies and fans each have their own serial"
    assert sum("Power Supply" in row["name"] for row in inventory) == 2
    assert any("Fan" in row["name"] or "FAN" in row["name"] for row in inventory)

    temperature = bench.parse(host, "show environment temperature")[0]
    assert temperature["switch_temperature"] == "OK" and temperature["inlet_temperature_state"] == "GREEN"
    assert (temperature["inlet_yellow_threshold"], temperature["inlet_red_threshold"]) == ("46", "56")
    assert int(temperature["inlet_temperature_value"]) < 46 and temperature["hotspot_red_threshold"] == "125"

    power = bench.parse(host, "show environment power all")
    assert [row["sys_pwr"] for row in power] == ["Good", "Good"]
    assert {row["serial"] for row in power} <= {row["sn"] for row in inventory}

    diag = bench.parse(host, "show platform diag")
    fans = [row for row in diag if "FAN" in row["module_sku"]]
    assert fans and all(row["state"] == "ok" for row in fans)

    cpu = bench.parse(host, "show processes cpu")
    assert len(cpu) > 10 and int(cpu[0]["cpu_usage_5_sec"]) < 10 and cpu[0]["process_name"]
    memory = bench.parse(host, "show processes memory sorted")[0]
    assert int(memory["memory_used"]) + int(memory["memory_free"]) == int(memory["memory_total"])

    interfaces = bench.parse(host, "show interfaces")
    assert [row["interface"] for row in interfaces] == device.port_names()
    assert all(row["crc"] == "0" and row["input_errors"] == "0" and row["output_errors"] == "0" for row in interfaces)
    assert all(int(row["input_packets"]) > 0 for row in interfaces if row["link_status"] == "up")

    logging = bench.parse(host, "show logging")
    assert any(row["facility"] == "SYS" and row["mnemonic"] == "RESTART" for row in logging)
    assert all(row["month"] and row["day"] and row["time"] for row in logging)

    redundancy = bench.parse(host, "show redundancy")[0]
    assert (redundancy["switchovers"], redundancy["last_switchover_reason"]) == ("0", "none")
    license_status = bench.parse(host, "show license status")[0]
    assert license_status["sl_enabled"] == "ENABLED" and license_status["last_ack_received"]


def test_routers_report_ospf_and_bgp_neighbours_switches_none(bench: Bench) -> None:
    router = bench.devices[ROUTER]
    ospf = bench.parse(ROUTER, "show ip ospf neighbor")
    cabled = {p.peer for p in router.ports if p.peer and bench.devices[p.peer].role.endswith(("router", "firewall"))}
    assert {row["neighbor_id"] for row in ospf} == {bench.devices[name].mgmt_address for name in cabled}
    assert all(row["state"].startswith("FULL") for row in ospf)
    bgp = bench.parse(ROUTER, "show ip bgp summary")
    assert bgp and all(row["up_down"] == "1w2d" and row["local_as"] == "64512" for row in bgp)

    assert bench.parse(FIREWALL, "show ip ospf neighbor")
    assert bench.text(FIREWALL, "show ip bgp summary") == "% BGP not active"
    assert bench.text(SWITCH, "show ip ospf neighbor") == ""
    assert bench.text(SWITCH, "show ip bgp summary") == "% BGP not active"


def test_abbreviations_answer_like_the_full_commands(bench: Bench) -> None:
    for short, full in ABBREVIATIONS.items():
        assert bench.text(ROUTER, short) == bench.text(ROUTER, full), short
        assert "% Invalid" not in bench.text(ROUTER, full) and "% Ambiguous" not in bench.text(ROUTER, full)


def test_a_healthy_device_answers_the_same_an_hour_later_except_what_really_moves(bench: Bench) -> None:
    stable = ("show inventory", "show environment temperature", "show environment power all",
              "show license status", "show ip ospf neighbor")
    first = {c: bench.text(ROUTER, c) for c in COMMANDS}
    bench.now += 3600
    second = {c: bench.text(ROUTER, c) for c in COMMANDS}

    assert all(first[c] == second[c] for c in stable), [c for c in stable if first[c] != second[c]]
    assert bench.parse(ROUTER, "show version")[0]["uptime_hours"] == "2"
    before = parse_output(platform="cisco_ios", command="show interfaces", data=first["show interfaces"])
    after = bench.parse(ROUTER, "show interfaces")
    assert int(after[1]["input_packets"]) > int(before[1]["input_packets"])


def test_fan_failed_shows_in_platform_diag_and_the_log_until_cleared(bench: Bench) -> None:
    bench.fault(ROUTER, "fan-failed")
    fans = [row for row in bench.parse(ROUTER, "show platform diag") if "FAN" in row["module_sku"]]
    assert [row["state"] for row in fans] == ["fail"]
    assert "%IOSXE_PEM-3-FANFAIL: The fan in slot P2/0 is encountering a failure condition" in bench.text(
        ROUTER, "show logging")

    bench.fault(ROUTER, "clear")
    assert [row["state"] for row in bench.parse(ROUTER, "show platform diag") if row["state"]] == ["ok"] * 3
    assert bench.parse(ROUTER, "show logging")[-1]["mnemonic"] == "FANOK"


def test_fan_failed_on_a_switch_names_its_fan_module(bench: Bench) -> None:
    bench.fault("sy-dc1-acc-sw1", "fan-failed")
    diag = bench.parse("sy-dc1-acc-sw1", "show platform diag")
    assert [(row["slot_number"], row["state"]) for row in diag if row["module_sku"] == "FAN-T1"] == [
        ("1/FM1", "fail"), ("1/FM2", "ok"), ("1/FM3", "ok")]


def test_psu_failed_shows_bad_power_and_a_failed_slot(bench: Bench) -> None:
    bench.fault(SWITCH, "psu-failed")
    power = bench.parse(SWITCH, "show environment power all")
    assert [(row["ps_module"], row["status"], row["sys_pwr"]) for row in power] == [
        ("1A", "OK", "Good"), ("1B", "No Input Power", "Bad")]
    assert "%IOSXE_PEM-3-PEMFAIL: The PEM in slot 1B is switched off" in bench.text(SWITCH, "show logging")

    bench.fault(SWITCH, "clear")
    assert [row["sys_pwr"] for row in bench.parse(SWITCH, "show environment power all")] == ["Good", "Good"]


@pytest.mark.parametrize(("argument", "celsius"), [(None, 62), ("71", 71)])
def test_hot_sensor_reads_above_its_red_threshold(bench: Bench, argument: str | None, celsius: int) -> None:
    bench.fault(ROUTER, "hot-sensor", argument)
    temperature = bench.parse(ROUTER, "show environment temperature")[0]
    assert int(temperature["inlet_temperature_value"]) == celsius > int(temperature["inlet_red_threshold"])
    assert (temperature["inlet_temperature_state"], temperature["switch_temperature"]) == ("RED", "CRITICAL")
    alert = [row for row in bench.parse(ROUTER, "show logging") if row["facility"] == "ENVIRONMENTAL"]
    assert alert[-1]["severity"] == "1" and f"Reading: {celsius} Celsius" in alert[-1]["message"][0]

    bench.fault(ROUTER, "clear")
    assert bench.parse(ROUTER, "show environment temperature")[0]["inlet_temperature_state"] == "GREEN"


def test_crc_errors_climb_between_two_reads_and_clear_resets_them(bench: Bench) -> None:
    bench.fault(ROUTER, "crc-errors", "te0/1/1 100")

    def errors() -> tuple[int, int]:
        row = next(r for r in bench.parse(ROUTER, "sh int Te0/1/1"))
        return int(row["crc"]), int(row["input_errors"])

    first = errors()
    bench.now += 30
    second = errors()
    assert first == (100, 100) and second == (150, 150)
    others = [r for r in bench.parse(ROUTER, "show interfaces") if r["interface"] != "TenGigabitEthernet0/1/1"]
    assert all(r["crc"] == "0" for r in others)

    bench.fault(ROUTER, "clear")
    assert errors() == (0, 0)


def test_crc_errors_needs_an_interface_of_the_device(bench: Bench) -> None:
    with pytest.raises(FaultError, match="interfaces"):
        bench.fault(ROUTER, "crc-errors", "Gi9/9/9")
    with pytest.raises(FaultError, match="whole number"):
        bench.fault(ROUTER, "crc-errors", "Te0/1/1 many")


def test_neighbour_flap_gives_a_short_uptime_and_adjchg_lines_at_both_ends(bench: Bench) -> None:
    bench.now += 0.5
    bench.fault(ROUTER, "neighbour-flap")
    bench.now += 42
    bgp = bench.parse(ROUTER, "show ip bgp summary")
    flapped = [row for row in bgp if row["up_down"] == "00:00:42"]
    assert len(flapped) == 1 and all(row["up_down"] == "1w2d" for row in bgp if row not in flapped)
    peer = next(d for d in bench.devices.values() if d.mgmt_address == flapped[0]["bgp_neighbor"])

    for host, other in ((ROUTER, peer.mgmt_address), (peer.name, bench.devices[ROUTER].mgmt_address)):
        log = bench.parse(host, "show logging")
        changes = [(r["facility"], r["mnemonic"], r["message"][0]) for r in log if r["mnemonic"].startswith("ADJCH")]
        assert ("OSPF", "ADJCHG", f"Process 1, Nbr {other} on " f"{changes[0][2].split(' on ')[1]}") in changes
        assert any(m.endswith("FULL to DOWN, Neighbor Down: Interface down or detached") for _, _, m in changes)
        assert any(m.endswith("LOADING to FULL, Loading Done") for _, _, m in changes)
        assert ("BGP", "ADJCHANGE", f"neighbor {other} Up") in [(f, n, m.strip()) for f, n, m in changes]
    far = bench.parse(peer.name, "show ip bgp summary")
    assert any(row["up_down"] == "00:00:42" for row in far)

    bench.fault(ROUTER, "clear")
    assert all(row["up_down"] == "1w2d" for row in bench.parse(ROUTER, "show ip bgp summary"))


def test_neighbour_flap_on_a_switch_is_refused(bench: Bench) -> None:
    with pytest.raises(FaultError, match="no OSPF or BGP neighbour"):
        bench.fault(SWITCH, "neighbour-flap")


@pytest.mark.parametrize(("argument", "percent"), [(None, 95), ("88", 88)])
def test_high_cpu_reports_at_least_the_injected_percent(bench: Bench, argument: str | None, percent: int) -> None:
    bench.fault(ROUTER, "high-cpu", argument)
    cpu = bench.parse(ROUTER, "show processes cpu")
    assert int(cpu[0]["cpu_usage_5_sec"]) >= percent and int(cpu[0]["cpu_usage_1_min"]) >= percent
    hog = max(cpu, key=lambda row: float(row["process_cpu_usage_5_sec"]))
    assert hog["process_name"] == "IP Input" and float(hog["process_cpu_usage_5_sec"]) > 50

    bench.fault(ROUTER, "clear")
    assert int(bench.parse(ROUTER, "show processes cpu")[0]["cpu_usage_5_sec"]) < 10


def test_bad_fault_arguments_are_refused_with_the_range(bench: Bench) -> None:
    with pytest.raises(FaultError, match=r"0\.\.150"):
        bench.fault(ROUTER, "hot-sensor", "900")
    with pytest.raises(FaultError, match=r"1\.\.100"):
        bench.fault(ROUTER, "high-cpu", "0")


def test_clear_brings_back_every_healthy_value(bench: Bench) -> None:
    healthy = {c: bench.text(ROUTER, c) for c in COMMANDS if c not in ("show logging",)}
    for kind, argument in (("fan-failed", None), ("psu-failed", None), ("hot-sensor", "80"),
                           ("crc-errors", "Te0/1/0 10"), ("neighbour-flap", None), ("high-cpu", None)):
        bench.fault(ROUTER, kind, argument)
    assert bench.devices[ROUTER].health.describe() == [
        "fan-failed", "psu-failed", "hot-sensor 80C", "crc-errors TenGigabitEthernet0/1/0 10", "neighbour-flap",
        "high-cpu 95%"]
    bench.fault(ROUTER, "clear")
    assert {c: bench.text(ROUTER, c) for c in healthy} == healthy
