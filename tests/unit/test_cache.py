"""The validate cache answers an unchanged estate and never hides a change."""

from __future__ import annotations

import os
from pathlib import Path

from changeops.estate.layout import Estate
from changeops.validation.record_check import Checker
from changeops.validation.validate import validate
from support.estate import replace_every, replace_once

RECORD = "changes/CHG-20261210-dl-edge-upgrade/change.yaml"


def count_checks(monkeypatch) -> list[str]:
    seen: list[str] = []
    real = Checker.check

    def counting(self, path):
        seen.append(path.parent.name)
        return real(self, path)

    monkeypatch.setattr(Checker, "check", counting)
    return seen


def test_warm_run_parses_nothing_and_reports_the_same(estate_root: Path, monkeypatch) -> None:
    estate = Estate(estate_root)
    first = validate(estate)
    seen = count_checks(monkeypatch)
    assert validate(estate) == first
    assert seen == []
    assert (estate_root / ".changeops_cache/.gitignore").read_text().strip().endswith("*")


def test_edited_record_is_checked_again(estate_root: Path, monkeypatch) -> None:
    estate = Estate(estate_root)
    validate(estate)
    path = estate_root / RECORD
    replace_once(path, "outage_minutes: 20", "outage_minutes: lots")
    seen = count_checks(monkeypatch)
    report = validate(estate)
    assert seen == ["CHG-20261210-dl-edge-upgrade"]
    assert [f.rule for f in report.findings] == ["schema-invalid"]


def test_inventory_change_invalidates_reference_results(estate_root: Path) -> None:
    estate = Estate(estate_root)
    assert validate(estate).clean
    hosts = estate_root / "inventory/hosts.yml"
    replace_every(hosts, "dl-pop1-edge-r1:", "dl-pop1-edge-r9:")
    (estate_root / "inventory/host_vars/dl-pop1-edge-r1.yml").rename(
        estate_root / "inventory/host_vars/dl-pop1-edge-r9.yml")
    rules = {f.rule for f in validate(estate).findings}
    assert "target-unknown" in rules


def test_removed_playbook_invalidates(estate_root: Path) -> None:
    estate = Estate(estate_root)
    assert validate(estate).clean
    os.remove(estate_root / "playbooks/upgrade.yml")
    assert "path-missing" in {f.rule for f in validate(estate).findings}


def test_policy_change_invalidates(estate_root: Path) -> None:
    estate = Estate(estate_root)
    assert validate(estate).clean
    windows = estate_root / "policies/windows.yml"
    replace_once(windows, "days: [tue, thu]", "days: [wed]")
    assert "policy-window" in {f.rule for f in validate(estate).findings}


def test_corrupt_cache_is_rebuilt(estate_root: Path) -> None:
    estate = Estate(estate_root)
    validate(estate)
    (estate_root / ".changeops_cache/validate.json").write_text("{not json")
    assert validate(estate).clean
