"""Configuration changes with ios_config: applied in the right section, idempotent, and check mode with diff."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.integration

HOST = "sy-dc1-dist-sw1"
CHANGE_PLAY = """
- hosts: sy-dc1-dist-sw1
  gather_facts: false
  tasks:
    - name: interface
      cisco.ios.ios_config:
        parents: interface TwentyFiveGigE1/0/1
        lines:
          - description UPLINK sy-dc1-core-r1 Te0/1/2 (re-patched)
          - mtu 9198
    - name: route
      cisco.ios.ios_config:
        lines:
          - ip route 10.31.8.0 255.255.252.0 10.20.0.6 name DL-POP1-BYPASS
    - name: ospf
      cisco.ios.ios_config:
        parents: [router ospf 10, address-family ipv4 unicast]
        lines: [maximum-paths 4]
"""
CHECK_PLAY = """
- hosts: sy-dc1-dist-sw2
  gather_facts: false
  tasks:
    - name: planned
      cisco.ios.ios_config:
        lines: [logging host 10.20.250.11]
        diff_against: running
"""


def test_config_change_lands_in_its_section_and_a_rerun_changes_nothing(lab) -> None:
    lab.control.reset(HOST)

    first = lab.run(CHANGE_PLAY)
    second = lab.run(CHANGE_PLAY)

    assert first.rc == 0, first.stdout
    assert all(first.last(HOST, task).result["changed"] for task in ("interface", "route", "ospf"))
    assert first.last(HOST, "interface").result["commands"] == [
        "interface TwentyFiveGigE1/0/1", "description UPLINK sy-dc1-core-r1 Te0/1/2 (re-patched)", "mtu 9198"]
    assert second.rc == 0 and not any(t.result.get("changed") for t in second.tasks), second.stdout
    running = lab.control.device_state(HOST)["running_config"]
    section = running.split("interface TwentyFiveGigE1/0/1\n", 1)[1].split("!", 1)[0].splitlines()
    assert section == [" description UPLINK sy-dc1-core-r1 Te0/1/2 (re-patched)", " no ip address", " mtu 9198"]
    assert "router ospf 10\n address-family ipv4 unicast\n  maximum-paths 4" in running
    assert "ip route 10.31.8.0 255.255.252.0 10.20.0.6 name DL-POP1-BYPASS" in running


def test_check_mode_plans_without_touching_the_device_then_diff_shows_the_change(lab) -> None:
    lab.control.reset("sy-dc1-dist-sw2")
    before = lab.control.device_state("sy-dc1-dist-sw2")["running_config"]
    seen_before = len(lab.received("sy-dc1-dist-sw2"))

    checked = lab.run(CHECK_PLAY, check=True, diff=True)
    untouched = lab.control.device_state("sy-dc1-dist-sw2")["running_config"]
    seen_in_check = lab.received("sy-dc1-dist-sw2")[seen_before:]
    applied = lab.run(CHECK_PLAY, diff=True)

    planned = checked.last("sy-dc1-dist-sw2", "planned").result
    assert checked.rc == 0 and planned["changed"] is True
    assert planned["updates"] == ["logging host 10.20.250.11"]
    assert untouched == before and "configure terminal" not in seen_in_check
    diff = applied.last("sy-dc1-dist-sw2", "planned").result["diff"]
    assert "logging host 10.20.250.11" in diff["after"] and "logging host 10.20.250.11" not in diff["before"]


def test_no_line_removes_it_and_write_memory_saves(lab) -> None:
    lab.control.reset(HOST)
    play = """
- hosts: sy-dc1-dist-sw1
  gather_facts: false
  tasks:
    - name: remove
      cisco.ios.ios_config:
        lines: [no ip domain name lab.changeops]
        save_when: changed
"""
    result = lab.run(play)

    state = lab.control.device_state(HOST)
    assert result.rc == 0 and result.last(HOST, "remove").result["changed"]
    assert "ip domain name" not in state["running_config"]
    assert state["startup_config"] == state["running_config"]
