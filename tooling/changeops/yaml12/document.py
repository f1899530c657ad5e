"""A parsed document, and where each of its values came from."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import yaml

from changeops.yaml12.problems import Problem, mark
from changeops.yaml12.scalars import scalar


@dataclass
class Document:
    """A parsed file: its data, or the problem that stopped it, and where each value came from."""

    data: Any = None
    problem: Problem | None = None
    root: Any = field(default=None, repr=False)

    def locate(self, path: tuple[Any, ...], *, key: bool = False) -> tuple[int, int]:
        """Line and column (1-based) of the value at ``path``, or of its key with ``key=True``.

        A path that stops existing part way (a missing field) resolves to the deepest
        node that does exist, which is where the missing thing belongs.
        """
        node, at = self.root, self.root
        for index, step in enumerate(path):
            if node is None:
                break
            key_node, node = child(node, step)
            if node is not None:
                last = index == len(path) - 1
                at = key_node if (key and last and key_node is not None) else node
        return mark(at) if at is not None else (1, 1)


def child(node: Any, step: Any) -> tuple[Any, Any]:
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            if isinstance(key_node, yaml.ScalarNode) and scalar(key_node) == step:
                return key_node, value_node
    elif isinstance(node, yaml.SequenceNode) and isinstance(step, int) and 0 <= step < len(node.value):
        return None, node.value[step]
    return None, None
