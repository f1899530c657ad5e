"""Conflicts across records: the same device or a redundancy peer in overlapping windows."""

from __future__ import annotations

from pathlib import Path

from changeops.estate.layout import Estate
from changeops.validation.validate import validate
from support.estate import copy_record

DRILL_ID = "CHG-20261215-core-failover-drill"


def conflicts(root: Path) -> dict[str, str]:
    report = validate(Estate(root), use_cache=False)
    return {f.file.split("/")[1]: f.message for f in report.findings if f.rule == "policy-conflict"}


def test_peer_of_a_target_in_an_overlapping_window_conflicts_both_ways(estate_root: Path) -> None:
    copy_record(estate_root, DRILL_ID, "CHG-20261215-core-r2-check", {
        "targets": ["sy-dc1-core-r2"], "window.start": "2026-12-15T02:00:00+08:00",
        "window.end": "2026-12-15T04:00:00+08:00"})
    found = conflicts(estate_root)
    assert "sy-dc1-core-r2 (redundancy peer of sy-dc1-core-r1)" in found["CHG-20261215-core-failover-drill"]
    assert "CHG-20261215-core-r2-check" in found["CHG-20261215-core-failover-drill"]
    assert "sy-dc1-core-r1 (redundancy peer of sy-dc1-core-r2)" in found["CHG-20261215-core-r2-check"]


def test_windows_that_only_touch_do_not_conflict(estate_root: Path) -> None:
    copy_record(estate_root, DRILL_ID, "CHG-20261215-core-after", {
        "window.start": "2026-12-15T03:00:00+08:00", "window.end": "2026-12-15T05:00:00+08:00"})
    assert conflicts(estate_root) == {}


def test_conflict_found_from_the_cache_after_the_other_change_appears(estate_root: Path) -> None:
    estate = Estate(estate_root)
    assert validate(estate).clean  # fills the cache
    copy_record(estate_root, DRILL_ID, "CHG-20261215-again")
    rules = {(f.file.split("/")[1], f.rule) for f in validate(estate).findings}
    assert ("CHG-20261215-core-failover-drill", "policy-conflict") in rules
