"""Sealed execution end to end: files nobody approved never reach Ansible, edited plans go stale, previews preview.

Each attack plants a payload that would touch a marker file on the runner, commits it on
main after the change was approved (as a merged pull request would), and runs the change
on the lab through the real ansible-runner backend.
"""

from __future__ import annotations

import subprocess
import sys
from datetime import datetime
from pathlib import Path

import pytest
from changeops.estate.layout import Estate
from changeops.execute.pipeline import run_change
from changeops.execute.progress import Progress
from changeops.records.run_summary import RunResult
from execute_estate import AT, default_steps, git, make_estate

pytestmark = pytest.mark.integration
HOST = "sy-dc2-acc-sw1"
WHEN = datetime.fromisoformat(AT)


def _run(root: Path, change_id: str, lab, **options):
    return run_change(Estate(root), change_id, at=WHEN, overlays=[lab.info.overlay], progress=Progress(live=False),
                      **options)


def _plant(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    git(root, "add", "-A")
    git(root, "commit", "-qm", "merged after approval")


def test_files_the_plan_does_not_name_never_load(lab, tmp_path: Path) -> None:
    lab.control.reset(HOST)
    marker = tmp_path / "marker"
    touch = f"{{{{ lookup('pipe', 'touch {marker}') }}}}"
    root = make_estate(tmp_path / "e", "CHG-20261208-lab-sealed", [HOST])
    _plant(root, {
        "inventory/group_vars/all": f"ansible_command_timeout: \"{touch}\"\n",  # extension-less, before all.yml
        "inventory/group_vars/ios.json": f'{{"forbidden_log_host": "{touch}"}}\n',
        "playbooks/group_vars/all.yml": f"log_host: \"{touch}\"\n",
        "playbooks/filter_plugins/evil.py": f"open({str(marker)!r}, 'w').close()\n"
                                            "class FilterModule:\n    def filters(self):\n        return {{}}\n",
        "playbooks/library/ios_config.py": f"open({str(marker)!r}, 'w').close()\n",
        "inventory/evil.sh": f"#!/bin/sh\ntouch {marker}\necho '{{}}'\n",
    })
    (root / "inventory/evil.sh").chmod(0o755)
    git(root, "commit", "-qam", "executable", "--allow-empty")
    live = subprocess.run([str(Path(sys.executable).parent / "ansible-inventory"), "-i", str(root / "inventory"),
                           "--list"], capture_output=True, text=True, cwd=root)
    assert marker.exists(), f"the planted payload is live when Ansible reads the repository: {live.stderr[-300:]}"
    marker.unlink()
    outcome = _run(root, "CHG-20261208-lab-sealed", lab)
    assert outcome.result is RunResult.COMPLETED, outcome.findings
    assert not marker.exists(), "a file outside the sealed plan was loaded"


def test_an_edited_playbook_makes_the_approval_stale_and_nothing_runs(lab, tmp_path: Path) -> None:
    lab.control.reset(HOST)
    before = lab.control.device_state(HOST)["running_config"]
    root = make_estate(tmp_path / "e", "CHG-20261208-lab-stale", [HOST])
    play = (root / "playbooks/lab-config.yml").read_text()
    _plant(root, {"playbooks/lab-config.yml": play.replace("logging host {{ log_host }}", "no ip routing")})
    outcome = _run(root, "CHG-20261208-lab-stale", lab)
    assert outcome.result is None and "approval-quorum" in [f.rule for f in outcome.refused]
    assert lab.control.device_state(HOST)["running_config"] == before


def test_a_templated_include_is_refused_before_anything_runs(lab, tmp_path: Path) -> None:
    lab.control.reset(HOST)
    include = "- hosts: \"{{ target_hosts }}\"\n  gather_facts: false\n  tasks:\n" \
              "    - ansible.builtin.include_tasks: \"tasks/{{ step_name }}.yml\"\n"
    steps = default_steps()
    steps["implementation"] = {"playbook": "computed.yml", "vars": {"step_name": "x"}}
    root = make_estate(tmp_path / "e", "CHG-20261208-lab-computed", [HOST], steps=steps,
                       playbooks={"computed.yml": include}, approve=False)
    outcome = _run(root, "CHG-20261208-lab-computed", lab)
    found = [f for f in outcome.refused if f.rule == "plan-unresolved"]
    assert found and found[0].file == "playbooks/computed.yml" and found[0].line == 4


def test_a_preview_runs_the_trusted_playbooks_with_the_branch_record_as_data(lab, tmp_path: Path) -> None:
    """On a branch: the record's pipe lookup stays text, the branch's edited playbook is not what runs."""
    lab.control.reset(HOST)
    before = lab.control.device_state(HOST)["running_config"]
    marker = tmp_path / "marker"
    root = make_estate(tmp_path / "e", "CHG-20261208-lab-preview", [HOST], approve=False)
    git(root, "checkout", "-qb", "feature")
    record = root / "changes/CHG-20261208-lab-preview/change.yaml"
    record.write_text(record.read_text().replace("10.20.250.99", f"\"{{{{ lookup('pipe', 'touch {marker}') }}}}\""))
    play = root / "playbooks/lab-config.yml"
    play.write_text(play.read_text().replace("      cisco.ios.ios_config:",
                                             "      check_mode: false\n      cisco.ios.ios_config:"))
    git(root, "commit", "-qam", "branch edits")
    outcome = _run(root, "CHG-20261208-lab-preview", lab, check=True)
    assert outcome.result is RunResult.CHECKED, outcome.findings
    assert not marker.exists()
    assert lab.control.device_state(HOST)["running_config"] == before


def test_a_preview_refuses_trusted_playbooks_that_leave_check_mode(lab, tmp_path: Path) -> None:
    lab.control.reset(HOST)
    before = lab.control.device_state(HOST)["running_config"]
    root = make_estate(tmp_path / "e", "CHG-20261208-lab-real", [HOST], approve=False)
    play = root / "playbooks/lab-config.yml"
    play.write_text(play.read_text().replace("      cisco.ios.ios_config:",
                                             "      check_mode: false\n      cisco.ios.ios_config:"))
    git(root, "commit", "-qam", "a task that writes in check mode")
    outcome = _run(root, "CHG-20261208-lab-real", lab, check=True)
    assert [f.rule for f in outcome.refused] == ["preview-not-check-mode"]
    assert outcome.refused[0].file == "playbooks/lab-config.yml"
    assert lab.control.device_state(HOST)["running_config"] == before


def test_a_branchs_own_playbooks_are_previewed_on_the_lab_without_credentials(lab, tmp_path: Path,
                                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    lab.control.reset(HOST)
    root = make_estate(tmp_path / "e", "CHG-20261208-lab-branch", [HOST], approve=False)
    git(root, "checkout", "-qb", "feature")
    play = root / "playbooks/lab-config.yml"
    play.write_text(play.read_text() + """    - name: What the branch's playbook can see
      ansible.builtin.debug:
        msg: "seen={{ lookup('env', 'CHANGEOPS_NET_USER') }}|{{ lookup('env', 'ANSIBLE_VAULT_PASSWORD_FILE') }}"
""")
    git(root, "commit", "-qam", "branch playbook")
    monkeypatch.setenv("CHANGEOPS_NET_USER", "device-operator")
    monkeypatch.setenv("CHANGEOPS_VAULT_PASSWORD_FILE", str(tmp_path / "vault-password"))
    outside_lab = run_change(Estate(root), "CHG-20261208-lab-branch", check=True, branch_playbooks=True,
                             progress=Progress(live=False))
    assert "preview-branch-playbooks" in [f.rule for f in outside_lab.refused]
    outcome = _run(root, "CHG-20261208-lab-branch", lab, check=True, branch_playbooks=True)
    assert outcome.result is RunResult.CHECKED, outcome.findings
    events = (outcome.folder / "events.jsonl").read_text()
    assert "seen=|" in events, events[-3000:]
    assert "device-operator" not in events and "vault-password" not in events
