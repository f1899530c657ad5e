"""The record model: what a valid record is, and the shape errors of an invalid one."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from changeops.records.model import CHANGE_TYPES, MoveChange, json_schema, parse_change
from changeops.yaml12 import load
from pydantic import ValidationError

REPO = Path(__file__).resolve().parents[2]
DEMO = sorted((REPO / "changes").glob("*/change.yaml"))


def demo(change_type: str) -> dict:
    for path in DEMO:
        data = load(path.read_bytes()).data
        if data["type"] == change_type:
            return data
    raise AssertionError(f"no demo record of type {change_type}")


def test_demo_estate_has_a_record_of_every_type() -> None:
    types = {load(p.read_bytes()).data["type"] for p in DEMO}
    assert types == set(CHANGE_TYPES)


@pytest.mark.parametrize("path", DEMO, ids=lambda p: p.parent.name)
def test_every_demo_record_parses(path: Path) -> None:
    change = parse_change(load(path.read_bytes()).data)
    assert change.id == path.parent.name


def test_window_times_with_offset_are_aware() -> None:
    change = parse_change(demo("patch"))
    assert change.window.start.utcoffset() == timedelta(hours=8)


def test_window_zone_places_naive_times() -> None:
    data = demo("patch")
    data["window"] = {"zone": "Europe/Berlin", "start": "2026-12-08 00:30", "end": "2026-12-08 04:30"}
    change = parse_change(data)
    assert change.window.start.utcoffset() == timedelta(hours=1)


def test_naive_time_without_zone_is_refused() -> None:
    data = demo("patch")
    data["window"]["start"] = "2026-12-08 00:30:00"
    with pytest.raises(ValidationError) as caught:
        parse_change(data)
    assert [e["type"] for e in caught.value.errors()] == ["naive_time"]


def test_window_must_end_after_start() -> None:
    data = demo("patch")
    data["window"]["end"] = data["window"]["start"]
    with pytest.raises(ValidationError) as caught:
        parse_change(data)
    assert caught.value.errors()[0]["type"] == "window_order"


def test_unknown_fields_are_refused_at_every_level() -> None:
    data = demo("upgrade")
    data["upgrade"]["image"]["sha"] = "x"
    with pytest.raises(ValidationError) as caught:
        parse_change(data)
    assert caught.value.errors()[0]["type"] == "extra_forbidden"


def test_type_selects_the_section() -> None:
    data = demo("patch")
    data["type"] = "upgrade"
    with pytest.raises(ValidationError) as caught:
        parse_change(data)
    kinds = {(e["loc"][-1], e["type"]) for e in caught.value.errors()}
    assert ("upgrade", "missing") in kinds and ("patch", "extra_forbidden") in kinds


def test_bilingual_text_needs_one_language() -> None:
    data = demo("patch")
    data["title"] = {}
    with pytest.raises(ValidationError):
        parse_change(data)
    data["title"] = {"zh": "补丁"}
    assert parse_change(data).title.zh == "补丁"


def test_move_reads_from_as_origin() -> None:
    change = parse_change(demo("device-move"))
    assert isinstance(change, MoveChange)
    assert (change.move.origin.room, change.move.to.room) == ("3F-M302", "3F-M303")


def test_checksum_format_is_enforced() -> None:
    data = demo("upgrade")
    data["upgrade"]["image"]["checksum"] = "md5:1234"
    with pytest.raises(ValidationError):
        parse_change(data)


def test_schema_discriminates_on_type_and_names_from() -> None:
    schema = json_schema()
    assert set(schema["discriminator"]["mapping"]) == set(CHANGE_TYPES)
    assert "from" in schema["$defs"]["Move"]["properties"]


def test_committed_schema_is_current() -> None:
    import json

    committed = json.loads((REPO / "docs/schema/change.schema.json").read_text())
    assert committed == json_schema(), "run: changeops schema > docs/schema/change.schema.json"


@pytest.mark.parametrize(("path", "value"), [
    (("impact", "outage_minutes"), "20"),
    (("risk", "level"), 3),
])
def test_strict_models_do_not_coerce(path, value) -> None:
    """A quoted number is text, not a number: the record says what it means or is refused."""
    import copy

    data = copy.deepcopy(load((REPO / "changes/CHG-20261208-core-smu-snmp/change.yaml").read_bytes()).data)
    target = data
    for key in path[:-1]:
        target = target[key]
    if path[-1] not in target:
        pytest.skip(f"the demo record has no {path}")
    target[path[-1]] = value
    with pytest.raises(ValidationError):
        parse_change(data)


def test_an_upgrade_option_chosen_must_be_a_boolean() -> None:
    import copy

    data = copy.deepcopy(load((REPO / "changes/CHG-20261210-dl-edge-upgrade/change.yaml").read_bytes()).data)
    data["upgrade"]["options"][0]["chosen"] = "yes"
    with pytest.raises(ValidationError):
        parse_change(data)
