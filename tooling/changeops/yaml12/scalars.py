"""Scalars as ruamel.yaml's YAML 1.2 loader reads them: its resolver table and its constructors."""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone
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
        _chars: list[str | None] = list(_first) if _first else [None]
        for _char in _chars:
            _IMPLICIT.setdefault(_char, []).append((_tag, _regexp))


RESOLVED: dict[str, str] = {}


def resolve_plain(value: str) -> str:
    """The tag ruamel.yaml's YAML 1.2 resolver gives a plain scalar (remembered for short values)."""
    candidates = _IMPLICIT.get(value[:1], []) + _IMPLICIT.get(None, [])
    tag = next((tag for tag, regexp in candidates if regexp.match(value)), STR)
    if len(value) < 64 and len(RESOLVED) < 65536:
        RESOLVED[value] = tag
    return tag


_ISO_TIME = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:Z|[+-]\d\d:\d\d)")


def scalar(node: Any) -> Any:
    """The Python value of a scalar node, as ruamel.yaml's YAML 1.2 constructors make it."""
    if node.tag == STR:
        return node.value
    if node.tag not in CONSTRUCTED:
        raise Abort(tag_problem(node))
    try:
        if node.tag == TIMESTAMP and _ISO_TIME.fullmatch(node.value):
            # the usual form, read as ruamel.yaml reads it (an aware datetime), without its regex pipeline
            moment = datetime.fromisoformat(node.value)
            return moment.replace(tzinfo=timezone(moment.utcoffset() or timedelta(0), node.value[19:]))
        return _constructor.yaml_constructors[node.tag](_constructor, RuamelScalar(node.tag, node.value))
    # ruamel.yaml's constructors let Python's own errors through: a day or an offset out of
    # range (ValueError), a `!!bool` of something that is no boolean (KeyError), an empty
    # `!!int` (IndexError), ...
    except (ConstructorError, ValueError, TypeError, LookupError, ArithmeticError) as err:
        raise Abort(_unreadable(node, err)) from None


def _unreadable(node: Any, err: Exception) -> Problem:
    kind = node.tag.removeprefix(TAG)
    line, column = mark(node)
    if node.tag == TIMESTAMP:
        return Problem(
            "yaml-invalid-date",
            f"{node.value!r} is not a real date or time: {err}",
            "correct the date (day of the month, hour 0-23, offset within ±23:59), or quote it to keep it text",
            line,
            column,
        )
    return Problem(
        "yaml-syntax",
        f"{node.value!r} cannot be read as {kind}: {err}",
        "quote the value to keep it a string, or correct it",
        line,
        column,
    )


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
