"""Backup before implementation for the types that need it; a rollback plan the customer can read."""

from __future__ import annotations

from pathlib import Path

from changeops.policy.steps import check_backup, check_rollback
from policy_helpers import change, context, record, rules_of


def test_patch_without_backup_is_refused(tmp_path: Path) -> None:
    [issue] = check_backup(change(backup=None), context(tmp_path))
    assert issue.rule == "policy-backup" and "no `backup` step" in issue.message


def test_types_not_required_may_skip_backup(tmp_path: Path) -> None:
    rules = (Path(__file__).resolve().parents[2] / "policies/rules.yml").read_text()
    relaxed = rules.replace("required_for: [patch, upgrade, device-move, drill, emergency]", "required_for: [upgrade]")
    assert rules_of(check_backup(change(backup=None), context(tmp_path, rules=relaxed))) == []


def test_backup_must_not_be_the_implementation(tmp_path: Path) -> None:
    same = change(backup={"playbook": "patch.yml"})
    assert rules_of(check_backup(same, context(tmp_path))) == ["policy-backup"]


def test_rollback_needs_a_description(tmp_path: Path) -> None:
    rollback = dict(record("CHG-20261208-core-smu-snmp")["rollback"])
    rollback.pop("description")
    [issue] = check_rollback(change(rollback=rollback), context(tmp_path))
    assert issue.rule == "policy-rollback" and issue.path == ("rollback",)
    assert rules_of(check_rollback(change(), context(tmp_path / "b"))) == []
