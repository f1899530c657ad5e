"""Build policies, inventory and changes for the policy check tests."""

from __future__ import annotations

import copy
import shutil
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from changeops.estate.inventory import load_inventory
from changeops.estate.layout import Estate
from changeops.policy.context import PolicyContext
from changeops.policy.engine import read_policies
from changeops.policy.files import DirectorySource
from changeops.records.model import ChangeBase, parse_change
from changeops.yaml12 import load

REPO = Path(__file__).resolve().parents[2]
NOW = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)


def policies_dir(tmp_path: Path, **replacements: str) -> Path:
    """The demo policies, with some files replaced (``windows="..."`` replaces windows.yml)."""
    folder = tmp_path / "policies"
    shutil.copytree(REPO / "policies", folder)
    for name, text in replacements.items():
        (folder / f"{name}.yml").write_text(text, encoding="utf-8")
    return folder


def context(tmp_path: Path, now: datetime = NOW, **replacements: str) -> PolicyContext:
    policies = read_policies(DirectorySource(policies_dir(tmp_path, **replacements)))
    assert policies.findings == [], policies.findings
    return PolicyContext(policies, load_inventory(Estate(REPO)), now)


def record(folder: str) -> dict[str, Any]:
    return load((REPO / "changes" / folder / "change.yaml").read_bytes()).data


PATCH = "CHG-20261208-core-smu-snmp"


def change(folder: str = PATCH, **changes: Any) -> ChangeBase:
    """A demo record with top-level fields replaced; ``window=(start, end)`` sets the window."""
    data = copy.deepcopy(record(folder))
    window = changes.pop("window", None)
    if window is not None:
        data["window"] = {"start": window[0], "end": window[1]}
        data["id"] = f"CHG-{window[0][:10].replace('-', '')}-{data['id'].split('-', 2)[2]}"
    data.update(changes)
    return parse_change(data)


def rules_of(issues) -> list[str]:
    return [issue.rule for issue in issues]
