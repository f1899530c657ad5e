"""A device move: CDP follows the lab's cabling, and the move playbooks see the change."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.integration

HOST = "dl-pop1-acc-sw1"
CDP_PLAY = """
- hosts: dl-pop1-acc-sw1
  gather_facts: false
  tasks:
    - name: cdp
      cisco.ios.ios_command:
        commands: [show cdp neighbors detail, show ip interface brief]
      register: seen
    - name: links
      ansible.builtin.set_fact:
        links: "{{ seen.stdout[0] | ansible.builtin.regex_findall(pattern) }}"
      vars:
        pattern: "(?s)Device ID: ([-A-Za-z0-9_]+).*?Interface: ([^,]+), +Port ID .outgoing port.: ([-A-Za-z0-9/.:]+)"
"""


def test_rewired_port_changes_what_cdp_reports_at_both_ends(lab) -> None:
    for host in (HOST, "dl-pop1-edge-r1", "sy-dc1-acc-sw1"):
        lab.control.reset(host)
    before = lab.run(CDP_PLAY)

    lab.control.rewire(HOST, "GigabitEthernet1/1/1", "sy-dc1-acc-sw1", "TenGigabitEthernet1/1/2")
    after = lab.run(CDP_PLAY)

    links = lambda result: result.last(HOST, "links").result["ansible_facts"]["links"]  # noqa: E731
    assert links(before) == [["dl-pop1-edge-r1", "GigabitEthernet1/1/1", "GigabitEthernet0/0/2"]]
    assert links(after) == [["sy-dc1-acc-sw1", "GigabitEthernet1/1/1", "TenGigabitEthernet1/1/2"]]
    far_end = {p["name"]: p for p in lab.control.device_state("sy-dc1-acc-sw1")["ports"]}
    assert far_end["TenGigabitEthernet1/1/2"]["peer"] == HOST
    old_peer = {p["name"]: p for p in lab.control.device_state("dl-pop1-edge-r1")["ports"]}
    assert old_peer["GigabitEthernet0/0/2"]["peer"] is None, "the old cable was unplugged at both ends"
    lab.control.reset(HOST)
    lab.control.reset("sy-dc1-acc-sw1")
    lab.control.reset("dl-pop1-edge-r1")
