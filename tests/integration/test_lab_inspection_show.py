"""An inspection's show commands over real SSH: cisco.ios.ios_command, then ansible.utils.cli_parse with ntc-templates.

The faults are set the way an engineer sets them, with `changeops lab fault HOST KIND ARG...`.
"""

from __future__ import annotations

import subprocess
import sys

import pytest

pytestmark = pytest.mark.integration

HOST = "sy-dc2-core-r1"
PORT = "TenGigabitEthernet0/0/1"
PARSE = "ansible.netcommon.ntc_templates"
PLAY = f"""
- hosts: {HOST}
  gather_facts: false
  tasks:
    - name: show
      cisco.ios.ios_command:
        commands: [show platform diag, sh int {PORT}, show ip bgp summary, sh env temperature]
      register: shown
    - name: fans
      ansible.utils.cli_parse:
        text: "{{{{ shown.stdout[0] }}}}"
        parser: {{name: {PARSE}, command: show platform diag}}
    - name: port
      ansible.utils.cli_parse:
        text: "{{{{ shown.stdout[1] }}}}"
        parser: {{name: {PARSE}, command: show interfaces {PORT}}}
    - name: bgp
      ansible.utils.cli_parse:
        text: "{{{{ shown.stdout[2] }}}}"
        parser: {{name: {PARSE}, command: show ip bgp summary}}
    - name: temperature
      ansible.utils.cli_parse:
        text: "{{{{ shown.stdout[3] }}}}"
        parser: {{name: {PARSE}, command: show environment temperature}}
    - name: logging
      ansible.utils.cli_parse:
        command: sh log
        parser: {{name: {PARSE}}}
"""


def _fault(lab, *words: str) -> str:
    done = subprocess.run([sys.executable, "-m", "changeops_lab", "fault", HOST, *words,
                           "--state-dir", str(lab.state_dir)], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    return done.stdout


def _parsed(result, task: str) -> list[dict]:
    outcome = result.last(HOST, task)
    assert outcome.status == "ok", outcome.result
    return outcome.result["parsed"]


def test_injected_faults_reach_the_values_ansible_parses_and_clear_restores_them(lab) -> None:
    lab.control.reset(HOST)
    assert "crc-errors TenGigabitEthernet0/0/1 400" in _fault(lab, "crc-errors", "Te0/0/1", "400")
    _fault(lab, "fan-failed")
    _fault(lab, "hot-sensor", "66")
    _fault(lab, "neighbour-flap")

    faulty = lab.run(PLAY)
    again = lab.run(PLAY)
    _fault(lab, "clear")
    healthy = lab.run(PLAY)

    assert faulty.rc == 0, faulty.stdout
    assert [r["state"] for r in _parsed(faulty, "fans") if r["module_sku"] == "ASR1001-X-FAN"] == ["fail"]
    crc = int(_parsed(faulty, "port")[0]["crc"])
    assert crc >= 400 and int(_parsed(again, "port")[0]["crc"]) > crc, "CRC errors climb between two reads"
    temperature = _parsed(faulty, "temperature")[0]
    assert int(temperature["inlet_temperature_value"]) == 66 > int(temperature["inlet_red_threshold"])
    ages = sorted(_seconds(r["up_down"]) for r in _parsed(faulty, "bgp"))
    assert len(ages) == 2 and ages[0] < ages[1], "the flapped session is younger than the one up since boot"
    log = {(r["facility"], r["mnemonic"]) for r in _parsed(faulty, "logging")}
    assert {("IOSXE_PEM", "FANFAIL"), ("ENVIRONMENTAL", "ALERT"), ("OSPF", "ADJCHG"), ("BGP", "ADJCHANGE")} <= log

    assert healthy.rc == 0, healthy.stdout
    assert all(r["state"] == "ok" for r in _parsed(healthy, "fans") if r["module_sku"] == "ASR1001-X-FAN")
    assert _parsed(healthy, "port")[0]["crc"] == "0"
    assert _parsed(healthy, "temperature")[0]["inlet_temperature_state"] == "GREEN"
    ages = [_seconds(r["up_down"]) for r in _parsed(healthy, "bgp")]
    assert max(ages) - min(ages) <= 1, "after clear both sessions are up since boot again"
    assert next(d for d in lab.control.status()["devices"] if d["host"] == HOST)["faults"] == []


def _seconds(up_down: str) -> int:
    """The Up/Down column of a session up for less than a day (the lab started minutes ago)."""
    hours, minutes, seconds = (int(part) for part in up_down.split(":"))
    return hours * 3600 + minutes * 60 + seconds
