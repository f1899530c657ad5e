"""Show commands and facts through network_cli + cisco.ios against the lab's simulated devices."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.integration

SHOW_PLAY = """
- hosts: sy-dc1-core-r1,sy-dc1-acc-sw1
  gather_facts: false
  tasks:
    - name: show
      cisco.ios.ios_command:
        commands:
          - show version
          - show inventory
          - show cdp neighbors detail
          - show running-config | include ^hostname
      register: shown
"""

FACTS_PLAY = """
- hosts: sy-dc2-core-r1
  gather_facts: false
  tasks:
    - name: facts
      cisco.ios.ios_facts:
        gather_subset: [min, hardware, config, interfaces]
"""


def test_show_output_carries_the_device_archive(lab) -> None:
    result = lab.run(SHOW_PLAY)

    assert result.rc == 0, result.stdout
    for host, model, serial in (("sy-dc1-core-r1", "ASR1002-HX", "FXS2231Q1AB"),
                                ("sy-dc1-acc-sw1", "C9300-48P", "FOC2338X1ZP")):
        version, inventory, _cdp, hostname = result.last(host, "show").result["stdout"]
        assert "Cisco IOS XE Software, Version 17.09.04a" in version
        assert f"Processor board ID {serial}" in version
        assert f"PID: {model}" in inventory and f"SN: {serial}" in inventory
        assert hostname == f"hostname {host}"
    cdp = result.last("sy-dc1-core-r1", "show").result["stdout"][2]
    assert "Device ID: sy-dc1-core-r2" in cdp
    assert "Interface: TenGigabitEthernet0/1/1,  Port ID (outgoing port): TenGigabitEthernet0/1/1" in cdp


def test_session_log_holds_exactly_what_ansible_sent(lab) -> None:
    before = len(lab.received("sy-dc1-core-r1"))
    result = lab.run(SHOW_PLAY, limit="sy-dc1-core-r1")

    sent = result.last("sy-dc1-core-r1", "show").result["invocation"]["module_args"]["commands"]
    received = lab.received("sy-dc1-core-r1")[before:]
    assert _in_order(sent, received), f"sent {sent}, device saw {received}"
    assert received[:2] == ["enable", "********"], "the enable secret is masked in the log"
    replies = [e.text for e in lab.session_log("sy-dc1-core-r1") if e.direction == ">"]
    assert any("Processor board ID FXS2231Q1AB" in line for line in replies)


def _in_order(wanted: list[str], seen: list[str]) -> bool:
    remaining = iter(seen)
    return all(any(line == item for line in remaining) for item in wanted)


def test_ios_facts_parses_the_simulated_device(lab) -> None:
    result = lab.run(FACTS_PLAY)

    facts = result.last("sy-dc2-core-r1", "facts").result["ansible_facts"]
    assert facts["ansible_net_version"] == "17.06.05"
    assert facts["ansible_net_model"] == "ASR1001-X"
    assert facts["ansible_net_serialnum"] == lab.control.device_state("sy-dc2-core-r1")["serial"]
    assert facts["ansible_net_hostname"] == "sy-dc2-core-r1"
    assert facts["ansible_net_image"] == "flash:asr1001x-universalk9.17.06.05.SPA.bin"
    assert facts["ansible_net_filesystems"] == ["flash:"]
    assert facts["ansible_net_memtotal_mb"] > 0
    assert "hostname sy-dc2-core-r1" in facts["ansible_net_config"]
    assert facts["ansible_net_interfaces"]["Loopback0"]["ipv4"] == [{"address": "10.20.2.1", "subnet": "32"}]
    assert "TenGigabitEthernet0/0/0" in facts["ansible_net_neighbors"]
