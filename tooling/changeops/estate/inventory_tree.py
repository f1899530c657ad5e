"""The static YAML inventory as Ansible builds it from bytes: inline host vars, group ``vars:``, children.

`inventory.py` reads the inventory for validation and the device archive (host vars merged with
the host_vars files, no group vars). A sealed bundle needs what Ansible itself takes from the
inventory files, kept apart by origin, and read from any tree (a commit as well as a folder), so
this reader takes the files' bytes. Same files, same rules: every ``inventory/*.yml|*.yaml``
in name order, groups nested at most ``MAX_GROUP_DEPTH`` deep, problems as findings.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from changeops.estate.inventory import MAX_GROUP_DEPTH
from changeops.findings import Finding, Severity
from changeops.yaml12 import Document, load


@dataclass
class InventoryTree:
    """Hosts with their inline vars, groups with their ``vars:``, direct hosts and children."""

    host_vars: dict[str, dict[str, Any]] = field(default_factory=dict)
    group_vars: dict[str, dict[str, Any]] = field(default_factory=dict)
    group_hosts: dict[str, set[str]] = field(default_factory=dict)
    children: dict[str, set[str]] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)
    # (file, line, column) of each inline host var and group var, for findings about them
    origins: dict[tuple[str, str, str], tuple[str, int, int]] = field(default_factory=dict)

    def members(self, group: str) -> set[str]:
        """The hosts of ``group``, through its children (``all``: every host)."""
        if group == "all":
            return set(self.host_vars)
        hosts, pending, seen = set(), [group], set()
        while pending:
            name = pending.pop()
            if name in seen:
                continue
            seen.add(name)
            hosts |= self.group_hosts.get(name, set())
            pending += sorted(self.children.get(name, set()))
        return hosts

    def expand(self, targets: Iterable[str]) -> set[str]:
        """The hosts ``targets`` (hosts and/or groups) stand for."""
        hosts: set[str] = set()
        for target in targets:
            hosts |= self.members(target) if self.is_group(target) else {target} & set(self.host_vars)
        return hosts

    def is_group(self, name: str) -> bool:
        return name == "all" or name in self.group_hosts or name in self.children or name in self.group_vars

    def groups_of(self, hosts: set[str]) -> set[str]:
        """Every group holding one of ``hosts`` (directly or through children), ``all`` included."""
        names = set(self.group_hosts) | set(self.children) | set(self.group_vars)
        found = {group for group in names if self.members(group) & hosts} | {"all"}
        if any(not self._grouped(host) for host in hosts):
            found.add("ungrouped")
        return found

    def _grouped(self, host: str) -> bool:
        return any(host in members for group, members in self.group_hosts.items() if group not in ("all",
                                                                                                     "ungrouped"))


def read_inventory_tree(files: Mapping[str, bytes]) -> InventoryTree:
    """The inventory Ansible would build from ``files`` (repository path -> bytes), read in name order."""
    tree = InventoryTree()
    for name in sorted(files):
        doc = load(files[name])
        if doc.problem is not None:
            p = doc.problem
            tree.findings.append(Finding(name, p.line, p.column, p.rule, Severity.ERROR, p.message, p.hint))
        elif not isinstance(doc.data, dict):
            tree.findings.append(Finding(name, 1, 1, "inventory-shape", Severity.ERROR,
                                         "an inventory file must be a mapping", "start with `all:`"))
        else:
            for group, body in doc.data.items():
                _group(str(group), body, (group,), doc, name, tree, 0)
    return tree


def _group(name: str, body: Any, path: tuple[Any, ...], doc: Document, file: str, tree: InventoryTree,
           depth: int) -> None:
    tree.group_hosts.setdefault(name, set())
    if body is None:
        return
    parts = [body.get(part) or {} for part in ("vars", "hosts", "children")] if isinstance(body, dict) else []
    shaped = bool(parts) and all(isinstance(part, dict) for part in parts) and all(
        isinstance(v, dict | None) for v in parts[1].values())
    if not shaped or depth > MAX_GROUP_DEPTH:
        tree.findings.append(Finding(file, *doc.locate(path), "inventory-shape", Severity.ERROR,
                                     f"group `{name}` is not a mapping of hosts/children/vars",
                                     "write `hosts:`, `children:` and `vars:` under the group"))
        return
    for key, value in (body.get("vars") or {}).items():
        tree.group_vars.setdefault(name, {})[str(key)] = value
        tree.origins[("group", name, str(key))] = (file, *doc.locate((*path, "vars", key)))
    for host, host_vars in (body.get("hosts") or {}).items():
        tree.group_hosts[name].add(str(host))
        merged = tree.host_vars.setdefault(str(host), {})
        for key, value in (host_vars or {}).items():
            merged[str(key)] = value
            tree.origins[("host", str(host), str(key))] = (file, *doc.locate((*path, "hosts", host, key)))
    for child, child_body in (body.get("children") or {}).items():
        tree.children.setdefault(name, set()).add(str(child))
        _group(str(child), child_body, (*path, "children", child), doc, file, tree, depth + 1)
