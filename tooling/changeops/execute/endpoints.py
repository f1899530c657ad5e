"""Where each inventory host is reached (address and port), to tell device sessions apart in Ansible's log."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from changeops.secrets.collect import VaultLoader


def host_endpoints(inventories: list[Path]) -> dict[tuple[str, int], str]:
    """(address, port) -> host, from host-level variables of the inventories (later sources win)."""
    found: dict[str, dict[str, Any]] = {}
    for source in inventories:
        files = [source] if source.is_file() else sorted(source.glob("*.y*ml"))
        for path in files:
            host_connections(_read(path), found)
        host_vars = source / "host_vars" if source.is_dir() else source.parent / "host_vars"
        for path in sorted(host_vars.glob("*.y*ml")) if host_vars.is_dir() else []:
            data = _read(path)
            if isinstance(data, dict):
                found.setdefault(path.stem, {}).update(_connection(data))
    endpoints: dict[tuple[str, int], str] = {}
    for host, variables in found.items():
        address = str(variables.get("ansible_host", host))
        port = int(variables.get("ansible_port", 22) or 22)
        endpoints[(address, port)] = host
    return endpoints


def _read(path: Path) -> Any:
    try:
        return yaml.load(path.read_text(encoding="utf-8"), Loader=VaultLoader)
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return None


def host_connections(group: Any, found: dict[str, dict[str, Any]]) -> None:
    """Add each host's literal ``ansible_host``/``ansible_port`` of an inventory document to ``found``."""
    if not isinstance(group, dict):
        return
    for body in group.values():
        if not isinstance(body, dict):
            continue
        for host, variables in (body.get("hosts") or {}).items():
            found.setdefault(str(host), {}).update(_connection(variables or {}))
        host_connections(body.get("children") or {}, found)


def _connection(variables: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in variables.items() if k in ("ansible_host", "ansible_port")
            and isinstance(v, (str, int)) and "{{" not in str(v)}
