"""The manifest of a sealed bundle and the plan digest over it.

The digest is ``sha256:`` of a versioned canonical text: the version line, one line per file
(``path NUL sha256``, paths sorted) and the generated inventory as canonical JSON. It depends on
the files' bytes and the inventory's data only, so a working tree and a commit holding the same
content give the same digest.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from typing import Any

VERSION = "changeops-plan-v2"


@dataclass(frozen=True, order=True)
class ManifestEntry:
    """One sealed file: its repository path, the sha256 of its bytes, their count."""

    path: str
    sha256: str
    size: int

    @classmethod
    def of(cls, path: str, content: bytes) -> ManifestEntry:
        return cls(path, hashlib.sha256(content).hexdigest(), len(content))


@dataclass(frozen=True)
class Manifest:
    """Every file of the plan (sorted), which of them sit beside the inventory, and the generated inventory."""

    entries: tuple[ManifestEntry, ...]
    inventory_files: frozenset[str] = frozenset()
    inventory: dict[str, Any] = field(default_factory=dict, hash=False, compare=True)

    @property
    def paths(self) -> tuple[str, ...]:
        return tuple(entry.path for entry in self.entries)

    def entry(self, path: str) -> ManifestEntry | None:
        return next((e for e in self.entries if e.path == path), None)

    def canonical_text(self) -> str:
        """The text the digest is taken over."""
        lines = [VERSION] + [f"{e.path}\0{e.sha256}" for e in sorted(self.entries)]
        lines.append("inventory\0" + canonical_json(self.inventory))
        return "\n".join(lines) + "\n"

    @property
    def digest(self) -> str:
        """``sha256:<hex>`` of the canonical text: what an approval signs."""
        return "sha256:" + hashlib.sha256(self.canonical_text().encode("utf-8")).hexdigest()

    def as_json(self) -> dict[str, Any]:
        return {
            "version": VERSION, "digest": self.digest,
            "files": [{"path": e.path, "sha256": e.sha256, "size": e.size,
                       "beside": "inventory" if e.path in self.inventory_files else "project"}
                      for e in self.entries],
            "inventory": json.loads(canonical_json(self.inventory)),
        }


def canonical_json(data: Any) -> str:
    """Sorted keys, no whitespace, UTF-8 kept; dates and times as their ISO text."""
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=_iso)


def _iso(value: Any) -> str:
    if hasattr(value, "isoformat"):
        return str(value.isoformat())
    raise TypeError(f"{type(value).__name__} is not plain data")
