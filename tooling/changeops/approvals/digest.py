"""The plan digest: what an approval covers.

A sha256 over the change record and every file its run will load: the playbooks its
steps name and what they import or include (import_playbook, include/import_tasks,
include/import_role and `roles:`, vars_files, include_vars), resolved statically from the
playbook's folder, the role folders, plus the inventory vars of its targets (their host_vars
files, the group_vars files of their groups, and their inline vars in the inventory). The
change's ``approvals/`` and ``runs/`` are never part of it. Editing any covered file makes
every approval of the change stale.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from changeops.estate.inventory import Inventory
from changeops.estate.layout import Estate
from changeops.estate.paths import resolve_inside
from changeops.records.model import ChangeBase
from changeops.yaml12 import load

VERSION = "changeops-plan-v1"
_INCLUDE_TASKS = {"include_tasks", "import_tasks", "ansible.builtin.include_tasks", "ansible.builtin.import_tasks"}
_IMPORT_PLAYBOOK = {"import_playbook", "ansible.builtin.import_playbook"}
_ROLE_TASKS = {"include_role", "import_role", "ansible.builtin.include_role", "ansible.builtin.import_role"}
_INCLUDE_VARS = {"include_vars", "ansible.builtin.include_vars"}


@dataclass(frozen=True)
class PlanDigest:
    value: str
    files: tuple[str, ...]
    unresolved: tuple[str, ...] = field(default=())


def plan_digest(estate: Estate, change: ChangeBase, inventory: Inventory, record: Path) -> PlanDigest:
    """The digest of ``change`` as it would run now, with the files it covers."""
    files: set[Path] = {record}
    unresolved: list[str] = []
    for step in change.steps().values():
        found = resolve_inside(estate.playbooks, step.playbook, suffixes=(".yml", ".yaml"))
        if isinstance(found, Path):
            _playbook_closure(estate, found, files, unresolved)
        else:
            unresolved.append(f"playbooks/{step.playbook}")
    files |= _inventory_files(estate, inventory, change)
    digest = hashlib.sha256(f"{VERSION}\n".encode())
    names = sorted(estate.relative(p) for p in files)
    for name in names:
        digest.update(f"{name}\0{hashlib.sha256((estate.root / name).read_bytes()).hexdigest()}\n".encode())
    digest.update(_inline_vars(inventory, change).encode())
    return PlanDigest(f"sha256:{digest.hexdigest()}", tuple(names), tuple(sorted(set(unresolved))))


def _playbook_closure(estate: Estate, playbook: Path, files: set[Path], unresolved: list[str]) -> None:
    pending = [playbook]
    while pending:
        current = pending.pop()
        if current in files:
            continue
        files.add(current)
        doc = load(current.read_bytes())
        if doc.problem is not None:
            unresolved.append(f"{estate.relative(current)} (not readable as plain YAML: includes not followed)")
            continue
        for reference, kind in _references(doc.data):
            target = _resolve(estate, current.parent, reference, kind)
            if target is None:
                unresolved.append(f"{estate.relative(current)}: {kind} {reference}")
            elif target.is_dir():
                files |= {p for p in target.rglob("*") if p.is_file()}
                pending += [p for p in target.rglob("*.y*ml") if p.is_file()]
            else:
                pending.append(target)


def _references(data: Any) -> Iterator[tuple[str, str]]:
    """(path or role name, kind) of every static include in a playbook or task file."""
    if isinstance(data, list):
        for item in data:
            yield from _references(item)
        return
    if not isinstance(data, dict):
        return
    for key, value in data.items():
        if key in _IMPORT_PLAYBOOK or key in _INCLUDE_TASKS or key in _INCLUDE_VARS:
            name = value.get("file") if isinstance(value, dict) else value
            if isinstance(name, str):
                yield name, "file"
        elif key in _ROLE_TASKS and isinstance(value, dict) and isinstance(value.get("name"), str):
            yield value["name"], "role"
        elif key == "roles" and isinstance(value, list):
            for role in value:
                name = role if isinstance(role, str) else (role.get("role") or role.get("name")) if isinstance(
                    role, dict) else None
                if isinstance(name, str):
                    yield name, "role"
        elif key == "vars_files" and isinstance(value, list):
            yield from ((v, "file") for v in value if isinstance(v, str))
        elif isinstance(value, (list, dict)):
            yield from _references(value)


def _resolve(estate: Estate, folder: Path, reference: str, kind: str) -> Path | None:
    if "{{" in reference:
        return None  # decided at run time: cannot be covered statically
    if kind == "role":
        for base in (estate.playbooks / "roles", estate.root / "roles"):
            if (base / reference).is_dir():
                return base / reference
        return None
    candidate = (folder / reference).resolve()
    return candidate if candidate.is_file() and candidate.is_relative_to(estate.root) else None


def _inventory_files(estate: Estate, inventory: Inventory, change: ChangeBase) -> set[Path]:
    hosts = inventory.expand(change.targets)
    groups = {g for g, members in inventory.groups.items() if members & hosts} | {"all"}
    files = set()
    for sub, names in (("host_vars", hosts), ("group_vars", groups)):
        for name in names:
            files |= {p for p in (estate.inventory / sub).glob(f"{name}.y*ml")}
            if (estate.inventory / sub / name).is_dir():
                files |= {p for p in (estate.inventory / sub / name).rglob("*") if p.is_file()}
    return files


def _inline_vars(inventory: Inventory, change: ChangeBase) -> str:
    """The targets' vars as the inventory gives them (hosts.yml included), canonically."""
    hosts = sorted(inventory.expand(change.targets))
    return json.dumps({h: inventory.hosts.get(h, {}) for h in hosts}, sort_keys=True, default=str)
