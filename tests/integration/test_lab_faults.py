"""Injected faults: refused commands with a rollback, a hung device, a slow device."""

from __future__ import annotations

from datetime import datetime

import pytest

pytestmark = pytest.mark.integration

ROLLBACK_PLAY = """
- hosts: sy-dc1-fw1
  gather_facts: false
  tasks:
    - name: Save a rollback point
      cisco.ios.ios_command:
        commands:
          - command: copy running-config flash:pre-change.cfg
            prompt: Destination filename
            answer: ""
    - block:
        - name: Change the uplink description
          cisco.ios.ios_config:
            parents: interface TenGigabitEthernet0/0/4
            lines: [description CHANGED]
        - name: Send logs to the syslog server
          cisco.ios.ios_config:
            lines: [logging host 10.20.250.11]
      rescue:
        - name: Roll back
          cisco.ios.ios_command:
            commands: [configure replace flash:pre-change.cfg force]
          register: replaced
        - name: Rollback completed
          ansible.builtin.assert:
            that: replaced.stdout[0] is search('Rollback Done')
"""
CLOCK_PLAY = """
- hosts: sy-dc1-fw2
  gather_facts: false
  tasks:
    - name: clock
      cisco.ios.ios_command:
        commands: [show clock]
"""


def test_refused_command_fails_the_task_and_the_rescue_restores_the_config(lab) -> None:
    host = "sy-dc1-fw1"
    lab.control.reset(host)
    original = lab.control.device_state(host)["running_config"]
    lab.control.set_fault(host, "refuse-command", r"^logging host", "% Error: logging host table full")

    result = lab.run(ROLLBACK_PLAY)
    lab.control.clear_faults(host)

    refused = result.last(host, "Send logs to the syslog server")
    assert refused.status == "failed" and "% Error: logging host table full" in refused.result["msg"]
    assert result.last(host, "Change the uplink description").result["changed"] is True
    assert result.last(host, "Rollback completed").status == "ok"
    assert result.rc == 0, "the rescue handled the failure"
    assert lab.control.device_state(host)["running_config"] == original


def test_unresponsive_device_is_unreachable_and_recovers_when_cleared(lab) -> None:
    host = "sy-dc1-fw2"
    lab.control.reset(host)
    lab.control.set_fault(host, "unresponsive")

    hung = lab.run(CLOCK_PLAY, extravars={"ansible_connect_timeout": 3, "ansible_command_timeout": 5,
                                          "ansible_network_cli_retries": 0})
    lab.control.clear_faults(host)
    healthy = lab.run(CLOCK_PLAY)

    assert hung.rc != 0
    assert hung.last(host, "clock").status in ("unreachable", "failed")
    assert any("not answering" in e.text for e in lab.session_log(host))
    assert healthy.rc == 0 and healthy.last(host, "clock").status == "ok"


def test_slow_device_answers_late_and_times_out_past_the_command_timeout(lab) -> None:
    host = "sy-dc1-fw2"
    lab.control.reset(host)
    lab.control.set_fault(host, "slow", "0.5")
    since = len(lab.session_log(host))
    slow = lab.run(CLOCK_PLAY)
    lab.control.set_fault(host, "slow", "5")
    too_slow = lab.run(CLOCK_PLAY, extravars={"ansible_command_timeout": 2})
    lab.control.clear_faults(host)

    assert slow.rc == 0
    assert _answer_delay(lab, host, "show clock", since) >= 0.5
    timed_out = too_slow.last(host, "clock")
    assert timed_out.status in ("failed", "unreachable") and "timeout" in timed_out.result["msg"]


def _answer_delay(lab, host: str, command: str, since: int) -> float:
    """Seconds between the device receiving ``command`` (first time after entry ``since``) and its answer."""
    entries = lab.session_log(host)[since:]
    index = next(i for i, e in enumerate(entries) if e.direction == "<" and e.text == command)
    answer = next(e for e in entries[index + 1:] if e.direction == ">")
    return (datetime.fromisoformat(answer.time.rstrip("Z")) -
            datetime.fromisoformat(entries[index].time.rstrip("Z"))).total_seconds()
