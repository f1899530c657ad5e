"""`changeops new`: a record with every section, placeholders flagged until filled."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
import yaml
from changeops.authoring.scaffold import NewChange, parse_window, write_new_change
from changeops.errors import RecordExistsError, UsageError
from changeops.estate.inventory import load_inventory
from changeops.estate.layout import Estate
from changeops.records.model import CHANGE_TYPES, parse_change
from changeops.records.placeholders import placeholder_paths
from changeops.validation.validate import validate
from changeops.yaml12 import load

WINDOW = parse_window("2026-12-22T00:30+08:00/2026-12-22T04:30+08:00")


def fill(data: object) -> object:
    """Replace every placeholder with a plausible value of the right kind."""
    for path in placeholder_paths(data):
        *parents, last = path
        node = data
        for step in parents:
            node = node[step]
        node[last] = _value_for(path)
    return data


def _value_for(path: tuple) -> object:
    if path[0] in ("requested_by", "engineers"):  # person ids of policies/approvers.yml
        return "wangjg" if path[0] == "requested_by" else "zhaomin"
    name = path[-1]
    values = {"sent": "2026-11-30T10:00:00+08:00", "declared": "2026-12-22T00:10:00+08:00",
              "checksum": "md5:" + "a" * 32, "date": "2026-12-01", "unit": 20, "rto_minutes": 30,
              "runbook": "core-router-failure.md", "site": "sy-dc1", "device": "sy-dc1-dist-sw1",
              "from_version": "17.09.04a", "to_version": "17.12.04", "target_version": "17.12.04"}
    return values.get(name, "filled in")


@pytest.mark.parametrize("change_type", CHANGE_TYPES)
def test_new_record_flags_only_placeholders_and_is_valid_once_filled(estate_root: Path, change_type: str) -> None:
    estate = Estate(estate_root)
    change_id = f"CHG-20261222-new-{change_type}"
    path = write_new_change(estate, NewChange(change_type, change_id, ("sy-dc1-acc-sw1",), WINDOW),
                            load_inventory(estate))
    report = validate(estate, [path], use_cache=False)
    assert report.findings and {f.rule for f in report.findings} == {"placeholder"}
    assert path.read_text().startswith("# yaml-language-server: $schema=../../docs/schema/change.schema.json")

    data = fill(load(path.read_bytes()).data)
    if change_type == "device-move":
        data["move"]["to"]["room"] = "3F-M303"
    change = parse_change(data)
    assert change.id == change_id and change.window.start == datetime.fromisoformat("2026-12-22T00:30+08:00")


def test_customer_comes_from_the_targets(estate_root: Path) -> None:
    estate = Estate(estate_root)
    path = write_new_change(estate, NewChange("patch", "CHG-20261222-x-patch", ("core_routers",), WINDOW),
                            load_inventory(estate))
    assert load(path.read_bytes()).data["customer"] == "lnpdn"


def test_new_never_overwrites(estate_root: Path) -> None:
    estate = Estate(estate_root)
    existing = "CHG-20261208-core-smu-snmp"
    before = estate.record_path(existing).read_bytes()
    with pytest.raises(RecordExistsError):
        write_new_change(estate, NewChange("patch", existing, ("sy-dc1-core-r1",)), load_inventory(estate))
    assert estate.record_path(existing).read_bytes() == before


def test_id_date_must_be_the_window_start(estate_root: Path) -> None:
    estate = Estate(estate_root)
    with pytest.raises(UsageError, match="20261222"):
        write_new_change(estate, NewChange("patch", "CHG-20261223-x-patch", ("core_routers",), WINDOW),
                         load_inventory(estate))
    assert not (estate_root / "changes/CHG-20261223-x-patch").exists()


@pytest.mark.parametrize("text", ["2026-12-22T00:30/2026-12-22T04:30", "yesterday",
                                  "2026-12-22T04:30+08:00/2026-12-22T00:30+08:00"])
def test_bad_windows_are_usage_errors(text: str) -> None:
    with pytest.raises(UsageError):
        parse_window(text)


@pytest.mark.parametrize("change_type", CHANGE_TYPES)
def test_new_record_passes_validate_once_every_placeholder_is_filled(estate_root: Path, change_type: str) -> None:
    estate = Estate(estate_root)
    change_id = f"CHG-20261222-filled-{change_type}"
    path = write_new_change(estate, NewChange(change_type, change_id, ("sy-dc1-acc-sw1",), WINDOW),
                            load_inventory(estate))
    data = fill(load(path.read_bytes()).data)
    if change_type == "device-move":
        data["move"]["to"]["room"] = "3F-M303"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")

    report = validate(estate, [path], use_cache=False)

    assert report.clean, [(f.rule, f.message) for f in report.findings]
