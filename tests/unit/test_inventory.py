"""The inventory as changeops reads it: hosts, groups, archive facts."""

from __future__ import annotations

from pathlib import Path

from changeops.estate.inventory import load_inventory
from changeops.estate.layout import Estate
from support.estate import replace_every


def test_demo_inventory_has_sites_roles_and_facts(estate_root: Path) -> None:
    inventory = load_inventory(Estate(estate_root))
    assert inventory.findings == []
    network = inventory.expand(["ios"])
    assert len(network) >= 8 and len(inventory.expand(["linux"])) >= 2
    assert {inventory.facts[h].site for h in inventory.hosts} >= {"sy-dc1", "sy-dc2", "dl-pop1"}
    assert inventory.expand(["core_routers"]) >= {"sy-dc1-core-r1", "sy-dc1-core-r2"}
    assert inventory.facts["sy-dc1-core-r1"].peer == "sy-dc1-core-r2"


def test_missing_archive_fact_names_file_and_field(estate_root: Path) -> None:
    path = estate_root / "inventory/host_vars/sy-dc1-fw1.yml"
    path.write_text("\n".join(line for line in path.read_text().splitlines() if not line.startswith("rack:")) + "\n")
    [finding] = load_inventory(Estate(estate_root)).findings
    assert finding.file == "inventory/host_vars/sy-dc1-fw1.yml"
    assert finding.rule == "inventory-facts" and "rack" in finding.message
    assert "host_vars/sy-dc1-fw1.yml" in finding.hint


def test_one_sided_redundancy_peer_is_reported(estate_root: Path) -> None:
    path = estate_root / "inventory/host_vars/sy-dc1-fw2.yml"
    replace_every(path, "peer: sy-dc1-fw1", "peer: null")
    findings = load_inventory(Estate(estate_root)).findings
    assert [(f.rule, f.file) for f in findings] == [("inventory-peer", "inventory/host_vars/sy-dc1-fw1.yml")]
    text = (estate_root / "inventory/host_vars/sy-dc1-fw1.yml").read_text()
    assert findings[0].line == text.splitlines().index("peer: sy-dc1-fw2") + 1


def test_duplicate_serial_is_reported(estate_root: Path) -> None:
    first = (estate_root / "inventory/host_vars/sy-dc1-fw1.yml").read_text()
    serial = next(line for line in first.splitlines() if line.startswith("serial_number:"))
    path = estate_root / "inventory/host_vars/sy-dc1-fw2.yml"
    lines = [serial if line.startswith("serial_number:") else line for line in path.read_text().splitlines()]
    path.write_text("\n".join(lines) + "\n")
    assert [f.rule for f in load_inventory(Estate(estate_root)).findings] == ["inventory-serial"]


def test_broken_inventory_yaml_is_a_finding(estate_root: Path) -> None:
    (estate_root / "inventory/hosts.yml").write_text("all:\n  children: [\n")
    findings = load_inventory(Estate(estate_root)).findings
    assert findings[0].file == "inventory/hosts.yml" and findings[0].rule == "yaml-syntax"


def test_host_vars_for_a_host_no_group_lists(estate_root: Path) -> None:
    (estate_root / "inventory/host_vars/ghost.yml").write_text("vendor: Cisco\n")
    rules = {f.rule for f in load_inventory(Estate(estate_root)).findings}
    assert "inventory-orphan" in rules
