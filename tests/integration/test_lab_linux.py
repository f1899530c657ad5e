"""The lab's Linux hosts: real sshd on loopback, key-only login, one working directory per host."""

from __future__ import annotations

from pathlib import Path

import pytest
from changeops_lab.linux_hosts import sshd_available

pytestmark = [pytest.mark.integration,
              pytest.mark.skipif(not sshd_available(), reason="openssh-server is not installed (/usr/sbin/sshd)")]

PLAY = """
- hosts: linux
  gather_facts: false
  tasks:
    - name: ping
      ansible.builtin.ping:
    - name: command
      ansible.builtin.command: echo "{{ inventory_hostname }} via {{ ansible_host }}:{{ ansible_port }}"
      register: echoed
    - name: copy
      ansible.builtin.copy:
        content: "written for {{ inventory_hostname }}\\n"
        dest: "{{ lab_workdir }}/marker.txt"
"""


def test_ping_command_and_copy_over_ssh_land_in_each_hosts_own_folder(lab) -> None:
    result = lab.run(PLAY)

    assert result.rc == 0, result.stdout
    assert set(lab.info.linux) == {"sy-dc1-syslog1", "sy-dc2-nms1"}
    for host, details in lab.info.linux.items():
        assert result.last(host, "ping").result["ping"] == "pong"
        assert result.last(host, "command").result["stdout"] == f"{host} via {details['address']}:{details['port']}"
        assert (Path(details["workdir"]) / "marker.txt").read_text() == f"written for {host}\n"


def test_login_without_the_lab_key_is_refused(lab) -> None:
    result = lab.run(PLAY, limit="sy-dc1-syslog1", extravars={"ansible_ssh_private_key_file": "/dev/null",
                                                              "ansible_password": "guess"})

    assert result.last("sy-dc1-syslog1", "ping").status == "unreachable"
