"""From a node tree to plain Python data, enforcing the dialect and the bounds (aliases included)."""

from __future__ import annotations

from typing import Any

import yaml

from changeops.yaml12.problems import MAX_ALIASES, MAX_DEPTH, MAX_NODES, Abort, Problem, mark, too_deep
from changeops.yaml12.scalars import MAP, SEQ, STR, scalar, tag_problem


def build_tree(node: Any, depth: int) -> Any:
    """Plain data from a node tree that holds no aliases (each node appears once)."""
    if node.__class__ is yaml.ScalarNode:
        return node.value if node.tag == STR else scalar(node)
    if depth > MAX_DEPTH:
        raise Abort(too_deep(node.start_mark))
    if node.tag == SEQ:
        return [build_tree(item, depth + 1) for item in node.value]
    if node.tag != MAP:
        raise Abort(tag_problem(node))
    result: dict[Any, Any] = {}
    for key_node, value_node in node.value:
        if key_node.__class__ is not yaml.ScalarNode:
            raise Abort(_complex_key(key_node))
        key = key_node.value if key_node.tag == STR else scalar(key_node)
        if key in result:
            raise Abort(_duplicate_key(key, key_node))
        result[key] = build_tree(value_node, depth + 1)
    return result


def _complex_key(node: Any) -> Problem:
    return Problem(
        "yaml-complex-key",
        "a mapping key must be a plain value, not a list or mapping",
        "use a string key",
        *mark(node),
    )


def _recursive(node: Any) -> Problem:
    return Problem(
        "yaml-alias-limit",
        "the anchor here is aliased inside itself",
        "remove the recursive anchor/alias",
        *mark(node),
    )


def _duplicate_key(key: Any, node: Any) -> Problem:
    return Problem(
        "yaml-duplicate-key",
        f"the key {key!r} appears twice in this mapping",
        "keep one of them: YAML does not allow repeated keys",
        *mark(node),
    )


class Builder:
    """Turns composed nodes into plain Python data, enforcing the dialect and the bounds, aliases included."""

    def __init__(self) -> None:
        self.sizes: dict[int, int] = {}
        self.built: dict[int, Any] = {}
        # levels a built collection spans (itself and the collections under it), and the
        # deepest level reached so far under the collection being built
        self.heights: dict[int, int] = {}
        self.reached = 0
        self.open: set[int] = set()
        self.aliases = 0
        self.nodes = 0

    def build(self, node: Any, depth: int) -> Any:
        """Plain data for ``node`` at nesting level ``depth`` (the root collection is level 1)."""
        if isinstance(node, yaml.ScalarNode):
            if id(node) in self.built:
                return self._reuse(node, id(node))
            self._count(node, 1)
            self.sizes[id(node)], self.built[id(node)] = 1, scalar(node)
            return self.built[id(node)]
        if depth > MAX_DEPTH:
            raise Abort(too_deep(node.start_mark))
        ident = id(node)
        if ident in self.built:
            self._reach(node, depth + self.heights[ident] - 1)
            return self._reuse(node, ident)
        if ident in self.open:
            raise Abort(_recursive(node))
        if node.tag not in (SEQ, MAP):
            raise Abort(tag_problem(node))
        self.open.add(ident)
        before, reached_outside, self.reached = self.nodes, self.reached, depth
        value = self._sequence(node, depth) if node.tag == SEQ else self._mapping(node, depth)
        self.open.discard(ident)
        self._count(node, 1)
        self.sizes[ident], self.built[ident] = self.nodes - before, value
        self.heights[ident], self.reached = self.reached - depth + 1, max(reached_outside, self.reached)
        return value

    def _reach(self, node: Any, level: int) -> None:
        """An alias brings its collection's levels along: the bound holds for the data, not the text."""
        if level > MAX_DEPTH:
            raise Abort(
                Problem(
                    "yaml-nesting",
                    f"an alias of the anchor here nests the data deeper than {MAX_DEPTH} levels",
                    "write the values out instead of nesting aliases of nested collections",
                    *mark(node),
                )
            )
        self.reached = max(self.reached, level)

    def _reuse(self, node: Any, ident: int) -> Any:
        self.aliases += 1
        if self.aliases > MAX_ALIASES:
            line, column = mark(node)
            raise Abort(
                Problem(
                    "yaml-alias-limit",
                    f"more than {MAX_ALIASES} aliases (the last one refers to the anchor here)",
                    "write the values out instead of using anchors and aliases",
                    line,
                    column,
                )
            )
        self._count(node, self.sizes[ident])
        return self.built[ident]

    def _count(self, node: Any, amount: int) -> None:
        self.nodes += amount
        if self.nodes > MAX_NODES:
            line, column = mark(node)
            raise Abort(
                Problem(
                    "yaml-alias-limit",
                    f"aliases of the anchor here expand the document to more than {MAX_NODES:,} values",
                    "anchors and aliases multiply here; write the data out plainly",
                    line,
                    column,
                )
            )

    def _sequence(self, node: Any, depth: int) -> list[Any]:
        return [self.build(item, depth + 1) for item in node.value]

    def _mapping(self, node: Any, depth: int) -> dict[Any, Any]:
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                raise Abort(_complex_key(key_node))
            key = self.build(key_node, depth + 1)
            if key in result:
                raise Abort(_duplicate_key(key, key_node))
            result[key] = self.build(value_node, depth + 1)
        return result
