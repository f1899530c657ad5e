"""The Ansible YAML inventory as changeops reads it: hosts, groups and each device's archive facts.

Reads the static YAML inventory format (``inventory/*.yml`` with ``all:``/``children:``/
``hosts:``) plus ``host_vars/`` and ``group_vars/``, through the same YAML dialect as
the records. Each host carries its device archive (设备档案) as host vars.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from pydantic import ConfigDict, Field, ValidationError

from changeops.estate.layout import Estate
from changeops.findings import Finding, Severity
from changeops.records.fields import NonEmpty, Strict
from changeops.records.schema_findings import schema_findings
from changeops.yaml12 import Document, load

Role = Literal["core-router", "dist-switch", "access-switch", "firewall", "edge-router", "syslog-server",
               "nms-server", "server"]
MAX_GROUP_DEPTH = 20


class DeviceFacts(Strict):
    """The archive facts every inventory host must carry; other host vars pass through."""

    model_config = ConfigDict(extra="allow", frozen=True)

    vendor: NonEmpty
    model: NonEmpty
    serial_number: NonEmpty
    os_version: NonEmpty
    site: NonEmpty
    room: NonEmpty
    rack: NonEmpty
    unit: int = Field(gt=0, le=60)
    role: Role
    peer: NonEmpty | None
    customer: NonEmpty


@dataclass
class Inventory:
    """Hosts with their merged vars, groups with their (transitive) members, and what was wrong."""

    hosts: dict[str, dict[str, Any]] = field(default_factory=dict)
    groups: dict[str, set[str]] = field(default_factory=dict)
    facts: dict[str, DeviceFacts] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)
    host_files: dict[str, str] = field(default_factory=dict)
    host_docs: dict[str, Document] = field(default_factory=dict, repr=False)

    def knows(self, name: str) -> bool:
        return name in self.hosts or name in self.groups

    def expand(self, targets: Iterable[str]) -> set[str]:
        """The hosts that ``targets`` (hosts and/or groups) stand for."""
        hosts: set[str] = set()
        for target in targets:
            hosts |= self.groups.get(target, {target} if target in self.hosts else set())
        return hosts


def inventory_sources(estate: Estate) -> list[Path]:
    """Every file the inventory is read from (for cache fingerprints)."""
    folder = estate.inventory
    files = [p for p in sorted(folder.glob("*.y*ml"))]
    for sub in ("host_vars", "group_vars"):
        files += sorted((folder / sub).glob("*.y*ml")) if (folder / sub).is_dir() else []
    return files


def load_inventory(estate: Estate) -> Inventory:
    """Read the inventory; problems become findings, never exceptions."""
    inventory = Inventory()
    for path in sorted(estate.inventory.glob("*.y*ml")):
        doc = _read(estate, path, inventory)
        if doc is not None:
            _walk_groups(doc, estate.relative(path), inventory)
    _read_host_vars(estate, inventory)
    inventory.groups["all"] = set(inventory.hosts)
    for host in sorted(inventory.hosts):
        _check_facts(host, inventory)
    _check_peers(inventory)
    return inventory


def _read(estate: Estate, path: Path, inventory: Inventory) -> Document | None:
    doc = load(path.read_bytes())
    if doc.problem is not None:
        p = doc.problem
        inventory.findings.append(Finding(estate.relative(path), p.line, p.column, p.rule, Severity.ERROR,
                                          p.message, p.hint))
        return None
    if not isinstance(doc.data, dict):
        inventory.findings.append(Finding(estate.relative(path), 1, 1, "inventory-shape", Severity.ERROR,
                                          "an inventory file must be a mapping", "start with `all:`"))
        return None
    return doc


def _walk_groups(doc: Document, file: str, inventory: Inventory) -> None:
    for name, body in doc.data.items():
        _group(str(name), body, (name,), doc, file, inventory, depth=0)


def _group(name: str, body: Any, path: tuple[Any, ...], doc: Document, file: str, inventory: Inventory,
           depth: int) -> set[str]:
    members = inventory.groups.setdefault(name, set())
    if body is None:
        return members
    if not isinstance(body, dict) or depth > MAX_GROUP_DEPTH:
        line, column = doc.locate(path)
        inventory.findings.append(Finding(file, line, column, "inventory-shape", Severity.ERROR,
                                          f"group `{name}` is not a mapping of hosts/children/vars",
                                          "write `hosts:`, `children:` and `vars:` under the group"))
        return members
    for host, host_vars in (body.get("hosts") or {}).items():
        inventory.hosts.setdefault(str(host), {}).update(host_vars or {})
        inventory.host_files.setdefault(str(host), file)
        members.add(str(host))
    for child, child_body in (body.get("children") or {}).items():
        members |= _group(str(child), child_body, (*path, "children", child), doc, file, inventory, depth + 1)
    return members


def _read_host_vars(estate: Estate, inventory: Inventory) -> None:
    folder = estate.inventory / "host_vars"
    if not folder.is_dir():
        return
    for path in sorted(folder.glob("*.y*ml")):
        host = path.stem
        file = estate.relative(path)
        if host not in inventory.hosts:
            inventory.findings.append(Finding(file, 1, 1, "inventory-orphan", Severity.WARNING,
                                              f"host_vars for `{host}`, which no inventory group lists",
                                              f"add `{host}` to a group in inventory/hosts.yml or delete the file"))
        doc = _read(estate, path, inventory)
        if doc is not None:
            inventory.hosts.setdefault(host, {}).update(doc.data)
            inventory.host_files[host] = file
            inventory.host_docs[host] = doc


def _check_facts(host: str, inventory: Inventory) -> None:
    host_vars = inventory.hosts[host]
    try:
        inventory.facts[host] = DeviceFacts.model_validate(host_vars)
    except ValidationError as err:
        file = inventory.host_files.get(host, "inventory")
        doc = inventory.host_docs.get(host) or Document(data=host_vars)
        for finding in schema_findings(err, doc, file, DeviceFacts):
            inventory.findings.append(_as_facts_finding(finding, host))


def _as_facts_finding(finding: Finding, host: str) -> Finding:
    hint = finding.hint
    if finding.rule == "schema-missing":
        hint = (f"add it to inventory/host_vars/{host}.yml: every device carries vendor, model, serial_number, "
                "os_version, site, room, rack, unit, role, peer and customer")
    return Finding(finding.file, finding.line, finding.column, "inventory-facts", finding.severity,
                   f"{host}: {finding.message}", hint)


def _check_peers(inventory: Inventory) -> None:
    serials: dict[str, str] = {}
    for host, facts in sorted(inventory.facts.items()):
        file = inventory.host_files.get(host, "inventory")
        doc = inventory.host_docs.get(host) or Document()
        if facts.peer is not None and facts.peer not in inventory.hosts:
            inventory.findings.append(Finding(
                file, *doc.locate(("peer",)), "inventory-peer", Severity.ERROR,
                f"{host} names `{facts.peer}` as its redundancy peer, which is not in the inventory",
                "name the peer as the inventory does, or set `peer: null`"))
        elif facts.peer is not None and facts.peer in inventory.facts:
            back = inventory.facts[facts.peer]
            if back.peer != host:
                inventory.findings.append(Finding(
                    file, *doc.locate(("peer",)), "inventory-peer", Severity.ERROR,
                    f"{host} names `{facts.peer}` as its redundancy peer, but {facts.peer} does not name {host}",
                    "redundancy peers name each other: set `peer:` on both devices"))
        if facts.serial_number in serials:
            inventory.findings.append(Finding(
                file, *doc.locate(("serial_number",)), "inventory-serial", Severity.ERROR,
                f"{host} has serial number {facts.serial_number}, already used by {serials[facts.serial_number]}",
                "a serial number identifies one device: correct the archive facts"))
        serials.setdefault(facts.serial_number, host)
