"""Scalars as ruamel.yaml's YAML 1.2 loader reads them: its resolver table and its constructors."""

from __future__ import annotations

import re
from datetime import datetime, timezone
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.constructor import ConstructorError
from ruamel.yaml.nodes import ScalarNode as RuamelScalar
from ruamel.yaml.resolver import implicit_resolvers as _ruamel_implicit_resolvers

from changeops.yaml12.problems import Abort, Problem, mark

TAG = "tag:yaml.org,2002:"


STR, SEQ, MAP, TIMESTAMP = TAG + "str", TAG + "seq", TAG + "map", TAG + "timestamp"
CONSTRUCTED = {TAG + name for name in ("null", "bool", "int", "float", "timestamp")}


ruamel_yaml = YAML(typ="safe", pure=True)


_constructor = ruamel_yaml.constructor


# ruamel.yaml's own YAML 1.2 implicit resolver table, indexed by first character the
# way its VersionedResolver indexes it (same regexps, same order).
_IMPLICIT: dict[str | None, list[tuple[str, Any]]] = {}


for _versions, _tag, _regexp, _first in _ruamel_implicit_resolvers:
    if (1, 2) in _versions:
        for _char in _first or [None]:
            _IMPLICIT.setdefault(_char, []).append((_tag, _regexp))


RESOLVED: dict[str, str] = {}


def resolve_plain(value: str) -> str:
    """The tag ruamel.yaml's YAML 1.2 resolver gives a plain scalar (remembered for short values)."""
    for tag, regexp in _IMPLICIT.get(value[:1], []) + _IMPLICIT.get(None, []):
        if regexp.match(value):
            break
    else:
        tag = STR
    if len(value) < 64 and len(RESOLVED) < 65536:
        RESOLVED[value] = tag
    return tag


_ISO_TIME = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:Z|[+-]\d\d:\d\d)")


def scalar(node: Any) -> Any:
    if node.tag == STR:
        return node.value
    if node.tag == TIMESTAMP and _ISO_TIME.fullmatch(node.value):
        # the usual form, read as ruamel.yaml reads it (an aware datetime), without its regex pipeline
        moment = datetime.fromisoformat(node.value)
        return moment.replace(tzinfo=timezone(moment.utcoffset(), node.value[19:]))
    if node.tag not in CONSTRUCTED:
        raise Abort(tag_problem(node))
    try:
        return _constructor.yaml_constructors[node.tag](_constructor, RuamelScalar(node.tag, node.value))
    except (ConstructorError, ValueError, TypeError) as err:
        line, column = mark(node)
        raise Abort(
            Problem(
                "yaml-syntax",
                f"{node.value!r} cannot be read as {node.tag.removeprefix(TAG)}: {err}",
                "quote the value to keep it a string, or correct it",
                line,
                column,
            )
        ) from None


def tag_problem(node: Any) -> Problem:
    line, column = mark(node)
    if node.tag == TAG + "merge":
        return Problem(
            "yaml-merge-key", "merge keys ('<<') are not supported", "write the merged fields out in full", line, column
        )
    if node.tag == TAG + "value":
        return Problem("yaml-syntax", "a bare '=' is not a value in YAML 1.2", "quote it: '='", line, column)
    return Problem(
        "yaml-tag",
        f"the tag {node.tag!r} is not allowed",
        "remove the tag: records hold plain strings, numbers, booleans, dates, lists and mappings",
        line,
        column,
    )
