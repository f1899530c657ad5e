"""The one YAML dialect changeops reads and writes.

The dialect is YAML 1.2 as ruamel.yaml's safe loader reads it, narrowed to plain
data: mappings with scalar keys, sequences, strings, null, booleans, integers,
floats and timestamps. Anything that constructs other objects (``!!python/...``,
``!!binary``, ``!!set``, local tags), merge keys and duplicate keys are refused.

The read path composes nodes with libyaml (through PyYAML's C parser, when
available) but resolves and constructs every scalar with ruamel.yaml's own
YAML 1.2 resolver and constructors, so a file means the same thing here as on
the ruamel.yaml round-trip path used for writing. Hostile input is bounded
before and while it is read: size, nesting depth, alias expansion.
"""

from __future__ import annotations

import gc

from changeops.yaml12.build import Builder, build_tree
from changeops.yaml12.compose import check_directives, compose, compose_with_ruamel, decode, libyaml_differs
from changeops.yaml12.document import Document
from changeops.yaml12.problems import MAX_ALIASES, MAX_BYTES, MAX_DEPTH, MAX_NODES, Abort, Problem, no_document
from changeops.yaml12.scalars import resolve_plain

__all__ = ["MAX_ALIASES", "MAX_BYTES", "MAX_DEPTH", "MAX_NODES", "Document", "Problem", "load", "resolve_plain"]


def load(raw: bytes) -> Document:
    """Read ``raw`` as one document of the dialect. Never raises for bad input."""
    # A node tree is thousands of small acyclic objects: letting the cycle collector scan
    # them while they are built triples the cost of a load. Anything cyclic left over
    # (a refused recursive alias) is collected after.
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _load(raw)
    finally:
        if collecting:
            gc.enable()


def _load(raw: bytes) -> Document:
    try:
        text = decode(raw)
        check_directives(text)
        root = compose_with_ruamel(text) if libyaml_differs(text) else compose(text)
        if root is None:
            raise Abort(no_document())
        # Without an anchor there can be no alias: build without the bookkeeping aliases need.
        data = build_tree(root, 1) if b"&" not in raw else Builder().build(root, 1)
        return Document(data=data, root=root)
    except Abort as stop:
        return Document(problem=stop.problem)
