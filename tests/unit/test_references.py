"""What records point at: inventory hosts and groups, playbooks and runbooks inside their folders."""

from __future__ import annotations

import os
from pathlib import Path

from changeops.estate.layout import Estate
from changeops.validation.validate import validate
from support.estate import replace_once

RECORD = "changes/CHG-20261208-core-smu-snmp/change.yaml"


def edit(root: Path, record: str, old: str, new: str) -> None:
    path = root / record
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def findings(root: Path, rule: str) -> list:
    report = validate(Estate(root), use_cache=False)
    return [f for f in report.findings if f.rule == rule]


def test_demo_estate_is_valid(estate_root: Path) -> None:
    report = validate(Estate(estate_root), use_cache=False)
    assert report.clean, report.findings
    assert report.checked >= 5 + 4 + 14


def test_unknown_target_suggests_the_closest_host(estate_root: Path) -> None:
    edit(estate_root, RECORD, "  - sy-dc1-core-r2\n", "  - sy-dc1-core-r3\n")
    [finding] = findings(estate_root, "target-unknown")
    assert (finding.file, finding.line) == (RECORD, 33)
    assert "sy-dc1-core-r" in finding.hint


def test_group_targets_are_known(estate_root: Path) -> None:
    edit(estate_root, RECORD, "  - sy-dc1-core-r1\n  - sy-dc1-core-r2\n", "  - core_routers\n")
    report = validate(Estate(estate_root), [estate_root / RECORD], use_cache=False)
    assert report.clean, report.findings


def test_target_of_another_customer_is_refused(estate_root: Path) -> None:
    facts = estate_root / "inventory/host_vars/sy-dc1-core-r2.yml"
    replace_once(facts, "customer: lnpdn", "customer: other")
    [finding] = [f for f in findings(estate_root, "target-customer") if f.file == RECORD]
    assert "sy-dc1-core-r2" in finding.message


def test_playbook_path_traversal_absolute_and_missing(estate_root: Path) -> None:
    edit(estate_root, RECORD, "playbook: backup.yml", "playbook: ../inventory/hosts.yml")
    edit(estate_root, RECORD, "playbook: verify.yml", "playbook: /etc/ansible/verify.yml")
    edit(estate_root, RECORD, "playbook: precheck.yml", "playbook: pre-check.yml")
    rules = {f.rule: f.line for f in validate(Estate(estate_root), use_cache=False).findings}
    assert rules == {"path-traversal": 50, "path-absolute": 59, "path-missing": 45}


def test_symlink_leading_out_of_playbooks_is_refused(estate_root: Path, tmp_path: Path) -> None:
    outside = tmp_path / "outside.yml"
    outside.write_text("- hosts: all\n  tasks: []\n")
    os.symlink(outside, estate_root / "playbooks/linked.yml")
    edit(estate_root, RECORD, "playbook: backup.yml", "playbook: linked.yml")
    [finding] = findings(estate_root, "path-symlink-out")
    assert finding.line == 50


def test_symlink_inside_playbooks_is_refused_too(estate_root: Path) -> None:
    os.symlink("backup.yml", estate_root / "playbooks/save.yml")
    edit(estate_root, RECORD, "playbook: backup.yml", "playbook: save.yml")
    report = validate(Estate(estate_root), use_cache=False)
    assert [(f.file, f.rule) for f in report.findings] == [("playbooks/save.yml", "symlink")]


def test_drill_must_point_at_an_emergency_plan(estate_root: Path) -> None:
    record = "changes/CHG-20261215-core-failover-drill/change.yaml"
    edit(estate_root, record, "runbook: core-router-failure.md", "runbook: ios-xe-patching.md")
    [finding] = findings(estate_root, "drill-runbook")
    assert finding.file == record and "emergency plan" in finding.message


def test_move_from_must_match_the_inventory(estate_root: Path) -> None:
    record = "changes/CHG-20261217-acc-sw1-move/change.yaml"
    edit(estate_root, record, "from: {site: sy-dc1, room: 3F-M302, rack: C12, unit: 40}",
         "from: {site: sy-dc1, room: 3F-M302, rack: C11, unit: 40}")
    [finding] = findings(estate_root, "move-location")
    assert "rack C12" in finding.message


def test_moved_device_already_at_destination_is_accepted(estate_root: Path) -> None:
    facts = estate_root / "inventory/host_vars/sy-dc1-acc-sw1.yml"
    text = facts.read_text().replace("room: 3F-M302", "room: 3F-M303").replace("rack: C12", "rack: D02")
    facts.write_text(text.replace("unit: 40", "unit: 38"))
    assert findings(estate_root, "move-location") == []


def test_move_of_unknown_device(estate_root: Path) -> None:
    record = "changes/CHG-20261217-acc-sw1-move/change.yaml"
    edit(estate_root, record, "  device: sy-dc1-acc-sw1", "  device: sy-dc1-acc-sw9")
    assert [f.rule for f in findings(estate_root, "move-device")] == ["move-device"]
