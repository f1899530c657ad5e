"""The inventory side of a plan: the targets, their groups, their vars, and the files that may load.

Only ``inventory/host_vars/<host>.yml|.yaml`` and ``inventory/group_vars/<group>.yml|.yaml``
(and ``.yml|.yaml`` files in the ``<name>/`` folder form) of the targets and their groups are
chosen; an extension-less, ``.json`` or any other file beside them is never copied, so it cannot
load. Inventory is data: a lookup that runs a command or reads a file in it is refused, and the
variable or file holding it is left out.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import yaml

from changeops.bundle.lookups import INVENTORY_LOOKUPS, jinja_uses
from changeops.bundle.references import parse_nodes
from changeops.bundle.source import TreeSource, walk_files
from changeops.estate.inventory_tree import InventoryTree, read_inventory_tree
from changeops.findings import Finding, Severity
from changeops.yaml12.scalars import STR

INVENTORY = "inventory"
VARS_SUFFIXES = (".yml", ".yaml")
CODE_HINT = ("inventory is data: run commands and read files in a reviewed playbook, and keep only values "
             "(or env/vars lookups) in the inventory")


@dataclass
class InventoryPlan:
    """The generated inventory for the targets, the vars files beside it, and what was wrong."""

    hosts: list[str] = field(default_factory=list)
    inventory: dict[str, Any] = field(default_factory=dict)
    files: dict[str, bytes] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)


def inventory_sources(source: TreeSource) -> dict[str, bytes]:
    """The inventory files Ansible reads as the YAML inventory: ``inventory/*.yml|*.yaml``."""
    found: dict[str, bytes] = {}
    for name in source.list(INVENTORY):
        content = source.read(f"{INVENTORY}/{name}")
        if name.endswith(VARS_SUFFIXES) and content is not None:
            found[f"{INVENTORY}/{name}"] = content
    return found


def plan_inventory(source: TreeSource, targets: list[str], where: tuple[str, Any]) -> InventoryPlan:
    """The inventory of ``targets`` (host and group names) as read from ``source``'s ``inventory/``.

    ``where`` is (record path, its yaml12 Document) to place findings about unknown targets.
    """
    tree = read_inventory_tree(inventory_sources(source))
    plan = InventoryPlan(findings=list(tree.findings))
    record, doc = where
    for index, target in enumerate(targets):
        if not tree.expand([target]):
            line, column = doc.locate(("targets", index))
            plan.findings.append(Finding(record, line, column, "plan-target", Severity.ERROR,
                                         f"target `{target}` is no host or group of the inventory (or has no hosts)",
                                         "name a host or group listed in inventory/hosts.yml"))
    hosts = tree.expand(targets)
    groups = tree.groups_of(hosts) if hosts else set()
    plan.hosts = sorted(hosts)
    plan.inventory = _generate(tree, hosts, groups, plan.findings)
    for sub, names in (("host_vars", sorted(hosts)), ("group_vars", sorted(groups))):
        for name in names:
            for path in _vars_files(source, f"{INVENTORY}/{sub}", name):
                _choose(source, path, plan)
    return plan


def _vars_files(source: TreeSource, folder: str, name: str) -> list[str]:
    paths = [f"{folder}/{name}{suffix}" for suffix in VARS_SUFFIXES if source.read(f"{folder}/{name}{suffix}")]
    if source.is_dir(f"{folder}/{name}"):
        paths += [p for p in walk_files(source, f"{folder}/{name}") if p.endswith(VARS_SUFFIXES)]
    return paths


def _choose(source: TreeSource, path: str, plan: InventoryPlan) -> None:
    content = source.read(path) or b""
    root, problem = parse_nodes(content)
    if problem is not None:
        plan.findings.append(Finding(path, problem.line, problem.column, problem.rule, Severity.ERROR,
                                     problem.message, problem.hint))
        return
    refused = [_code_finding(path, line, column, message) for line, column, message in _code_in(root)]
    plan.findings += refused
    if not refused:  # bytes, never re-serialised: `!vault` values stay as written
        plan.files[path] = content


def _code_in(node: Any) -> list[tuple[int, int, str]]:
    """(line, column, message) of each lookup in ``node`` that inventory may not hold."""
    if isinstance(node, yaml.ScalarNode):
        if node.tag != STR:
            return []
        line, column = node.start_mark.line + 1, node.start_mark.column + 1
        return [(use.line, column, use.what) for use in jinja_uses(node.value, first_line=line,
                                                                   allowed=INVENTORY_LOOKUPS)]
    children = node.value if isinstance(node, yaml.SequenceNode) else [
        part for pair in node.value for part in pair] if isinstance(node, yaml.MappingNode) else []
    return [found for child in children for found in _code_in(child)]


def _code_finding(file: str, line: int, column: int, what: str) -> Finding:
    return Finding(file, line, column, "plan-inventory-code", Severity.ERROR,
                   f"{what} in the inventory runs a command or reads a file: the inventory file is left out "
                   "of the bundle", CODE_HINT)


def _clean_vars(tree: InventoryTree, kind: str, owner: str, values: dict[str, Any],
                findings: list[Finding]) -> dict[str, Any]:
    """``values`` without the variables holding refused lookups (each one a finding)."""
    kept: dict[str, Any] = {}
    for key, value in values.items():
        texts = [value] if isinstance(value, str) else [v for v in _strings(value)]
        uses = [use for text in texts for use in jinja_uses(text, allowed=INVENTORY_LOOKUPS)]
        if uses:
            file, line, column = tree.origins.get((kind, owner, key), ("inventory", 1, 1))
            findings.append(Finding(file, line, column, "plan-inventory-code", Severity.ERROR,
                                    f"`{key}` of {kind} `{owner}` holds {uses[0].what}, which runs a command or "
                                    "reads a file: it is left out of the generated inventory", CODE_HINT))
        else:
            kept[key] = value
    return kept


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for k, v in value.items() for s in (*_strings(k), *_strings(v))]
    if isinstance(value, list):
        return [s for item in value for s in _strings(item)]
    return []


def _generate(tree: InventoryTree, hosts: set[str], groups: set[str], findings: list[Finding]) -> dict[str, Any]:
    """A static YAML inventory of ``hosts`` only: their inline vars, their groups' vars and nesting."""
    children: dict[str, Any] = {}
    for group in sorted(groups - {"all", "ungrouped"}):
        body: dict[str, Any] = {}
        if direct := sorted(tree.group_hosts.get(group, set()) & hosts):
            body["hosts"] = dict.fromkeys(direct)
        if kids := sorted(tree.children.get(group, set()) & groups):
            body["children"] = dict.fromkeys(kids)
        if group_vars := _clean_vars(tree, "group", group, tree.group_vars.get(group, {}), findings):
            body["vars"] = group_vars
        children[group] = body
    everything: dict[str, Any] = {
        "hosts": {h: _clean_vars(tree, "host", h, tree.host_vars.get(h, {}), findings) or None for h in sorted(hosts)}}
    if all_vars := _clean_vars(tree, "group", "all", tree.group_vars.get("all", {}), findings):
        everything["vars"] = all_vars
    if children:
        everything["children"] = children
    return {"all": everything}
