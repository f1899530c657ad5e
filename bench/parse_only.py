"""The practical floor: parse the files `changeops validate` reads with PyYAML's C loader, nothing else.

Usage: python bench/parse_only.py ESTATE
"""

from __future__ import annotations

import sys
from pathlib import Path

import yaml


def files_of(root: Path) -> list[Path]:
    inventory = sorted(root.glob("inventory/*.yml")) + sorted(root.glob("inventory/*_vars/*.yml"))
    records = sorted(root.glob("changes/*/change.yaml")) + sorted(root.glob("changes/*/fault-report.yaml"))
    return records + inventory + sorted(root.glob("runbooks/*.md")) + sorted(root.glob("policies/*.yml"))


def main() -> None:
    root = Path(sys.argv[1])
    files = files_of(root)
    for path in files:
        raw = path.read_bytes()
        if path.suffix == ".md":
            raw = raw.split(b"---", 2)[1]
        yaml.load(raw, Loader=yaml.CSafeLoader)
    print(f"parsed {len(files)} files")


if __name__ == "__main__":
    main()
