"""Secrets never reach git: planted in vars, in a vault-encrypted var, in a no_log task, in a failed task's output."""

from __future__ import annotations

import subprocess
import sys
from datetime import datetime
from pathlib import Path

import pytest
from changeops.estate.layout import Estate
from changeops.execute.pipeline import run_change
from changeops.execute.progress import Progress
from execute_estate import AT, default_steps, git, make_estate

pytestmark = pytest.mark.integration
HOST = "sy-dc2-core-r2"
PLAIN, VAULTED, NO_LOG, IN_FAILURE = "PlantedVarValue1", "VaultedValue2x", "NoLogValue3xyz", "FailureValue4q"
PLAY = """
- name: Change with secrets around
  hosts: "{{ target_hosts }}"
  gather_facts: false
  tasks:
    - name: Show the community (a var named like a secret)
      ansible.builtin.debug:
        msg: "community is {{ snmp_community }}"
    - name: Configure the community on the device
      cisco.ios.ios_config:
        lines: ["snmp-server community {{ snmp_community }} RO"]
    - name: Show the vaulted value
      ansible.builtin.debug:
        msg: "token {{ nms_api_token }}"
    - name: Hidden task
      cisco.ios.ios_config:
        parents: interface GigabitEthernet0/0/0
        lines: ["description {{ hidden_text }}"]
      no_log: true
    - name: Fail with the database password in the message
      ansible.builtin.fail:
        msg: "could not log in with {{ db_password }}"
"""


def test_planted_secrets_never_appear_in_git_history(lab, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    lab.control.reset(HOST)
    password_file = tmp_path / "vault-password"
    password_file.write_text("lab-vault-password\n")
    vaulted = subprocess.run([str(Path(sys.executable).parent / "ansible-vault"), "encrypt_string",
                              "--vault-password-file", str(password_file), VAULTED, "--name", "nms_api_token"],
                             capture_output=True, text=True, check=True).stdout
    steps = default_steps()
    steps["implementation"] = {"playbook": "secret-play.yml"}
    root = make_estate(tmp_path / "e", "CHG-20261208-lab-secrets", [HOST], steps=steps,
                       playbooks={"secret-play.yml": PLAY}, files={"inventory/group_vars/ios.yml": vaulted})
    # Values outside git, as in production: an inventory source the operator passes with --inventory.
    site_vars = tmp_path / "site-secrets.yml"
    site_vars.write_text(f"all:\n  hosts:\n    {HOST}:\n      snmp_community: {PLAIN}\n"
                         f"      db_password: {IN_FAILURE}\n      hidden_text: {NO_LOG}\n")
    monkeypatch.setenv("CHANGEOPS_VAULT_PASSWORD_FILE", str(password_file))

    outcome = run_change(Estate(root), "CHG-20261208-lab-secrets", at=datetime.fromisoformat(AT),
                         overlays=[lab.info.overlay, site_vars], progress=Progress(live=False))

    assert outcome.result == "rolled-back", outcome
    assert outcome.commit is not None
    history = git(root, "log", "-p", "--all")
    transcript = (outcome.folder / "hosts" / f"{HOST}.log").read_text()
    assert "snmp-server community ********" in transcript and "no_log" in transcript
    for secret in (PLAIN, VAULTED, NO_LOG, IN_FAILURE, "lab-vault-password", _lab_password(lab)):
        assert secret not in history, secret
    assert "could not log in with ********" in history
    assert f"description {NO_LOG}" in "\n".join(lab.received(HOST)), "the no_log task did reach the device"


def _lab_password(lab) -> str:
    import yaml

    overlay = yaml.safe_load(lab.info.overlay.read_text())
    return overlay["all"]["children"]["lab_devices"]["hosts"][HOST]["ansible_become_password"]
