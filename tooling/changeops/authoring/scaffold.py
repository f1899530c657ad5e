"""`changeops new`: write a record with every required section, placeholders where facts are missing."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined

from changeops.errors import RecordExistsError, UsageError
from changeops.estate.inventory import Inventory
from changeops.estate.layout import Estate
from changeops.records.fields import ID_PATTERN, id_date
from changeops.records.model import CHANGE_TYPES
from changeops.records.placeholders import placeholder

SCHEMA_URL = "../../docs/schema/change.schema.json"



def _rollback(action: str, **variables: Any) -> dict[str, Any]:
    # The rollback plan must say when and how the change is rolled back (policy `rollback`): ask for it.
    return {"playbook": "rollback.yml",
            "description": placeholder("when the change is rolled back and how, e.g. verification fails in 30 min"),
            "vars": {"rollback_action": action, **variables}}


_STEPS: dict[str, dict[str, dict[str, Any]]] = {
    "patch": {
        "precheck": {"playbook": "precheck.yml"},
        "backup": {"playbook": "backup.yml"},
        "implementation": {"playbook": "patch.yml", "vars": {"patch_file": placeholder("patch file on flash"),
                                                           "patch_md5": placeholder("vendor MD5")}},
        "verification": {"playbook": "verify.yml"},
        "rollback": _rollback("deactivate-patch", patch_file=placeholder("patch file on flash")),
    },
    "upgrade": {
        "precheck": {"playbook": "precheck.yml"},
        "backup": {"playbook": "backup.yml"},
        "implementation": {"playbook": "upgrade.yml", "vars": {"target_image": placeholder("image on flash"),
                                                             "target_version": placeholder("target version")}},
        "verification": {"playbook": "verify.yml"},
        "rollback": _rollback("boot-image", rollback_image=placeholder("image running now")),
    },
    "drill": {
        "precheck": {"playbook": "precheck.yml"},
        "backup": {"playbook": "backup.yml"},
        "implementation": {"playbook": "drill-failover.yml",
                           "vars": {"drill_interface": placeholder("uplink to shut for the drill")}},
        "verification": {"playbook": "verify.yml"},
        "rollback": _rollback("config-replace"),
    },
    "device-move": {
        "precheck": {"playbook": "move-precheck.yml"},
        "backup": {"playbook": "backup.yml"},
        "implementation": {"playbook": "move-prepare.yml"},
        "verification": {"playbook": "move-verify.yml"},
        "rollback": _rollback("config-replace"),
    },
    "emergency": {
        "precheck": {"playbook": "precheck.yml"},
        "backup": {"playbook": "backup.yml"},
        "implementation": {"playbook": "emergency-config.yml",
                           "vars": {"fix_lines": [placeholder("configuration line of the fix")]}},
        "verification": {"playbook": "verify.yml"},
        "rollback": _rollback("config-replace"),
    },
    # Read-only: nothing to roll back. The backup still runs (2.3.3.5: protect the data before any action).
    "inspection": {
        "precheck": {"playbook": "precheck.yml"},
        "backup": {"playbook": "backup.yml"},
        "implementation": {"playbook": "inspect.yml"},
        "verification": {"playbook": "inspect-verify.yml"},
    },
}


@dataclass(frozen=True)
class NewChange:
    change_type: str
    change_id: str
    targets: tuple[str, ...]
    window: tuple[datetime, datetime] | None = None
    title: str | None = None
    customer: str | None = None
    model: str | None = None


def parse_window(text: str) -> tuple[datetime, datetime]:
    """``START/END`` in ISO 8601, each with its UTC offset."""
    try:
        start_text, end_text = text.split("/")
        start, end = datetime.fromisoformat(start_text), datetime.fromisoformat(end_text)
    except ValueError:
        raise UsageError(f"--window {text!r}: write START/END, e.g. "
                         "2026-12-08T00:30+08:00/2026-12-08T04:30+08:00") from None
    if start.tzinfo is None or end.tzinfo is None:
        raise UsageError(f"--window {text!r}: give both times a UTC offset, e.g. +08:00")
    if end <= start:
        raise UsageError(f"--window {text!r}: the window must end after it starts")
    return start, end


def write_new_change(estate: Estate, request: NewChange, inventory: Inventory) -> Path:
    """Write ``changes/<ID>/change.yaml`` and return its path; never overwrites."""
    _check_request(request)
    path = estate.record_path(request.change_id)
    if path.exists():
        raise RecordExistsError(path)
    text = render_new_change(request, inventory)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def _check_request(request: NewChange) -> None:
    if request.change_type not in CHANGE_TYPES:
        raise UsageError(f"unknown change type {request.change_type!r}; choose one of: {', '.join(CHANGE_TYPES)}")
    if not ID_PATTERN.match(request.change_id):
        raise UsageError(f"--id {request.change_id!r}: IDs are CHG-YYYYMMDD-<slug>, e.g. CHG-20261208-core-patch")
    if request.window and id_date(request.change_id) != request.window[0].date():
        raise UsageError(f"--id {request.change_id}: the date must be the window's start date "
                         f"({request.window[0]:%Y%m%d})")
    if not request.targets:
        raise UsageError("--targets: name at least one inventory host or group")


def render_new_change(request: NewChange, inventory: Inventory) -> str:
    env = Environment(loader=PackageLoader("changeops", "templates"), undefined=StrictUndefined,
                      keep_trailing_newline=True, autoescape=False)
    env.filters["yaml"] = _yaml_scalar
    model = "emergency" if request.change_type == "emergency" else (request.model or "normal")
    start, end = request.window or (None, None)
    return env.get_template("change.yaml.j2").render(
        id=request.change_id, type=request.change_type, model=model, schema_url=SCHEMA_URL,
        title=request.title or placeholder("title of the change"),
        customer=request.customer or _customer_of(request.targets, inventory),
        targets=request.targets,
        start=start.isoformat() if start else placeholder("start, e.g. 2026-12-08T00:30:00+08:00"),
        end=end.isoformat() if end else placeholder("end, e.g. 2026-12-08T04:30:00+08:00"),
        steps=_STEPS[request.change_type], origin=_origin(request, inventory),
        todo=lambda what: _yaml_scalar(placeholder(what)),
    )


def _customer_of(targets: tuple[str, ...], inventory: Inventory) -> str:
    customers = {inventory.facts[h].customer for h in inventory.expand(targets) if h in inventory.facts}
    return customers.pop() if len(customers) == 1 else placeholder("customer ID")


def _origin(request: NewChange, inventory: Inventory) -> str:
    facts = inventory.facts.get(request.targets[0]) if request.targets else None
    if facts is None:
        return _yaml_scalar(placeholder("current site, room, rack, unit"))
    return (f"{{site: {_yaml_scalar(facts.site)}, room: {_yaml_scalar(facts.room)}, "
            f"rack: {_yaml_scalar(facts.rack)}, unit: {facts.unit}}}")


def _yaml_scalar(value: Any) -> str:
    """A flow scalar/collection in the YAML 1.2 dialect: JSON is a subset of it."""
    return json.dumps(value, ensure_ascii=False)
