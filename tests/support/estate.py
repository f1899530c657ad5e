"""Build test estates by field, not by text: edits name the field they change and fail if it is missing.

``str.replace`` on a demo file silently does nothing when the demo changes, and the test
then passes without testing anything. These builders edit YAML with ruamel.yaml's round
trip (comments and layout kept) and refuse a path that does not exist.
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML

FieldPath = tuple[str | int, ...]


def _yaml() -> YAML:
    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.width = 4096
    return yaml


def read_yaml(path: Path) -> Any:
    return _yaml().load(path.read_text(encoding="utf-8"))


def write_yaml(path: Path, data: Any) -> None:
    out = io.StringIO()
    _yaml().dump(data, out)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(out.getvalue(), encoding="utf-8")


def set_fields(data: Any, changes: Mapping[FieldPath | str, Any]) -> Any:
    """Set each field (``"window.start"`` or ``("targets", 0)``) in ``data``; a missing parent is an error."""
    for where, value in changes.items():
        path: FieldPath = tuple(where.split(".")) if isinstance(where, str) else where
        parent = data
        for step in path[:-1]:
            parent = parent[step]
        if isinstance(parent, dict) and path[-1] not in parent:
            raise KeyError(f"{'.'.join(map(str, path))} is not in the document: nothing to change")
        parent[path[-1]] = value
    return data


def edit_file(path: Path, **changes: Any) -> None:
    """Set top-level or dotted fields (write ``window__start`` for ``window.start``) of a YAML file."""
    write_yaml(path, set_fields(read_yaml(path), {k.replace("__", "."): v for k, v in changes.items()}))


def copy_record(root: Path, source_id: str, new_id: str, changes: Mapping[FieldPath | str, Any] = ()) -> Path:
    """A new change folder ``new_id`` with ``source_id``'s record, its ``id`` and the given fields changed."""
    data = set_fields(read_yaml(root / "changes" / source_id / "change.yaml"), {"id": new_id, **dict(changes)})
    path = root / "changes" / new_id / "change.yaml"
    write_yaml(path, data)
    return path


def replace_once(path: Path, old: str, new: str) -> None:
    """A text edit for what is not a field (a forged line, a broken file): ``old`` must be there exactly once."""
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} appears {text.count(old)} times in {path}"
    path.write_text(text.replace(old, new), encoding="utf-8")


def replace_every(path: Path, old: str, new: str) -> None:
    """Like :func:`replace_once` for text that is meant to change everywhere it appears (at least once)."""
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} is not in {path}"
    path.write_text(text.replace(old, new), encoding="utf-8")
