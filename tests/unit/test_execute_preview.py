"""A preview refuses playbooks whose tasks would act for real: check_mode: false, commands on the controller."""

from __future__ import annotations

from changeops.execute.preview import preview_problems

PLAY = """\
- name: Change
  hosts: "{{ target_hosts }}"
  gather_facts: false
  tasks:
    - name: Read only, allowed
      cisco.ios.ios_command:
        commands: ["show version", {command: "show running-config"}]
      check_mode: false
    - name: Writes for real
      cisco.ios.ios_config:
        lines: ["logging host 10.0.0.1"]
      check_mode: false
    - name: Runs on the runner
      ansible.builtin.shell: touch /tmp/marker
      delegate_to: localhost
    - name: Runs on the runner, old style
      local_action: command touch /tmp/marker
    - name: Honours check mode
      cisco.ios.ios_config:
        lines: ["logging host 10.0.0.2"]
    - block:
        - name: Nested writes for real
          ansible.builtin.command: reload
          check_mode: no
"""


def test_each_task_that_leaves_check_mode_is_named_with_its_line() -> None:
    found = preview_problems({"playbooks/change.yml": PLAY.encode()})
    assert [(f.line, f.rule) for f in found] == [(9, "preview-not-check-mode"), (13, "preview-not-check-mode"),
                                                 (16, "preview-not-check-mode"), (22, "preview-not-check-mode")]
    assert "ios_config" in found[0].message and "controller" in found[1].message


def test_read_only_and_check_mode_honouring_tasks_pass() -> None:
    assert preview_problems({"p.yml": b"- hosts: all\n  tasks:\n    - cisco.ios.ios_config: {lines: [x]}\n"
                                      b"    - ansible.builtin.assert: {that: [true]}\n      check_mode: false\n"}) == []
