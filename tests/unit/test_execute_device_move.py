"""A successful device move rewrites the device's location in host_vars, keeping comments and layout."""

from __future__ import annotations

from pathlib import Path

from changeops.estate.inventory import load_inventory
from changeops.estate.layout import Estate
from changeops.execute.device_move import record_new_location
from changeops.records.model import Location
from changeops.validation.validate import validate


def test_location_is_rewritten_and_everything_else_kept(estate_root: Path) -> None:
    path = estate_root / "inventory/host_vars/sy-dc1-acc-sw1.yml"
    before = path.read_text(encoding="utf-8")
    assert record_new_location(Estate(estate_root), "sy-dc1-acc-sw1",
                               Location(site="sy-dc1", room="3F-M303", rack="D02", unit=38)) == path
    after = path.read_text(encoding="utf-8")
    changed = [(a, b) for a, b in zip(before.splitlines(), after.splitlines(), strict=False) if a != b]
    assert changed == [("room: 3F-M302", "room: 3F-M303"), ("rack: C12", "rack: D02"), ("unit: 40", "unit: 38")]
    assert len(before.splitlines()) == len(after.splitlines())  # comments, the document marker, interfaces kept
    facts = load_inventory(Estate(estate_root)).facts["sy-dc1-acc-sw1"]
    assert (facts.room, facts.rack, facts.unit) == ("3F-M303", "D02", 38)
    # the move record's `from` no longer matches, but its `to` does: still valid
    assert validate(Estate(estate_root), use_cache=False).clean


def test_unknown_device_has_no_file(estate_root: Path) -> None:
    assert record_new_location(Estate(estate_root), "nope", Location(site="a", room="b", rack="c", unit=1)) is None
