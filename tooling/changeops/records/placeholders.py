"""Placeholders that `changeops new` writes and `changeops validate` flags until they are filled."""

from __future__ import annotations

from typing import Any

MARKER = "TODO"


def placeholder(what: str) -> str:
    """The placeholder text for a value the engineer still has to write."""
    return f"{MARKER}: {what}"


def placeholder_paths(data: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Paths of every string value that is still a placeholder."""
    if isinstance(data, str):
        return [path] if data.startswith(MARKER) else []
    if isinstance(data, dict):
        return [p for key, value in data.items() for p in placeholder_paths(value, (*path, key))]
    if isinstance(data, list):
        return [p for index, value in enumerate(data) for p in placeholder_paths(value, (*path, index))]
    return []
