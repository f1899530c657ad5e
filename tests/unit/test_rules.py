"""Consistency checks inside one record."""

from __future__ import annotations

from pathlib import Path

from changeops.records.model import parse_change
from changeops.records.rules import record_issues
from changeops.yaml12 import load

REPO = Path(__file__).resolve().parents[2]


def record(folder: str) -> dict:
    return load((REPO / "changes" / folder / "change.yaml").read_bytes()).data


def rules_of(data: dict, folder: str) -> dict[str, tuple]:
    return {rule: path for rule, path, _, _ in record_issues(parse_change(data), folder)}


def test_a_demo_record_is_consistent() -> None:
    assert rules_of(record("CHG-20261208-core-smu-snmp"), "CHG-20261208-core-smu-snmp") == {}


def test_id_must_match_folder() -> None:
    assert rules_of(record("CHG-20261208-core-smu-snmp"), "CHG-20261208-other") == {"id-folder": ("id",)}


def test_id_date_is_window_start_date_in_the_window_offset() -> None:
    data = record("CHG-20261208-core-smu-snmp")
    data["window"]["start"] = "2026-12-07T23:30:00+08:00"
    assert "id-date" in rules_of(data, data["id"])
    data["window"]["start"] = "2026-12-07T16:30:00+00:00"  # the same instant as 00:30 +08:00, a day earlier in UTC
    assert "id-date" in rules_of(data, data["id"])


def test_emergency_type_needs_emergency_model() -> None:
    data = record("CHG-20261120-dl-edge-route-fix")
    data["model"] = "normal"
    assert rules_of(data, data["id"]) == {"emergency-model": ("model",)}


def test_emergency_model_needs_an_incident() -> None:
    data = record("CHG-20261208-core-smu-snmp")
    data["model"] = "emergency"
    assert "emergency-incident" in rules_of(data, data["id"])


def test_upgrade_must_change_version_and_choose_one_option() -> None:
    data = record("CHG-20261210-dl-edge-upgrade")
    data["upgrade"]["to_version"] = data["upgrade"]["from_version"]
    data["upgrade"]["options"][1]["chosen"] = True
    found = rules_of(data, data["id"])
    assert found["upgrade-versions"] == ("upgrade", "to_version")
    assert found["upgrade-options"] == ("upgrade", "options")


def test_move_must_go_somewhere_and_target_the_device() -> None:
    data = record("CHG-20261217-acc-sw1-move")
    data["move"]["to"] = dict(data["move"]["from"])
    data["targets"] = ["sy-dc1-acc-sw1", "sy-dc1-dist-sw1"]
    data["move"]["device"] = "sy-dc1-dist-sw2"
    found = rules_of(data, data["id"])
    assert {"move-same-location", "move-target"} <= set(found)


def test_duplicate_target_points_at_the_repeat() -> None:
    data = record("CHG-20261208-core-smu-snmp")
    data["targets"].append("sy-dc1-core-r1")
    assert rules_of(data, data["id"])["targets-duplicate"] == ("targets", 2)


def test_incident_times_in_order() -> None:
    data = record("CHG-20261120-dl-edge-route-fix")
    data["incident"]["restored"] = "2026-11-20T01:00:00+08:00"
    assert rules_of(data, data["id"])["incident-times"] == ("incident", "restored")
