"""read_inventory_tree: the inventory Ansible builds from the YAML files, kept apart by origin."""

from __future__ import annotations

from changeops.estate.inventory_tree import read_inventory_tree

HOSTS = b"""\
all:
  vars: {ntp: 10.0.0.1}
  hosts:
    lonely: {site: x}
  children:
    dc:
      vars: {region: north}
      children:
        core:
          hosts:
            r1: {ansible_host: 10.0.0.1}
            r2:
        edge:
          hosts:
            e1:
"""
MORE = b"all:\n  children:\n    core:\n      hosts:\n        r1: {ansible_host: 10.9.9.9, rack: A1}\n"


def test_groups_children_and_vars_by_origin() -> None:
    tree = read_inventory_tree({"inventory/hosts.yml": HOSTS})
    assert tree.findings == []
    assert tree.expand(["dc"]) == {"r1", "r2", "e1"} and tree.expand(["r2", "nosuch"]) == {"r2"}
    assert tree.expand(["all"]) == {"lonely", "r1", "r2", "e1"}
    assert tree.groups_of({"r1"}) == {"all", "dc", "core"}
    assert tree.groups_of({"lonely"}) == {"all", "ungrouped"}
    assert tree.group_vars == {"all": {"ntp": "10.0.0.1"}, "dc": {"region": "north"}}
    assert tree.children["dc"] == {"core", "edge"}
    assert tree.origins[("group", "dc", "region")] == ("inventory/hosts.yml", 7, 22)


def test_files_are_read_in_name_order_and_later_inline_vars_win() -> None:
    tree = read_inventory_tree({"inventory/z.yml": MORE, "inventory/hosts.yml": HOSTS})
    assert tree.host_vars["r1"] == {"ansible_host": "10.9.9.9", "rack": "A1"}
    assert tree.origins[("host", "r1", "ansible_host")][0] == "inventory/z.yml"
