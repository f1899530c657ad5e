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
import re
from datetime import datetime, timezone
from dataclasses import dataclass, field
from typing import Any

import yaml
from ruamel.yaml import YAML
from ruamel.yaml.constructor import ConstructorError
from ruamel.yaml.nodes import ScalarNode as RuamelScalar
from ruamel.yaml.resolver import implicit_resolvers as _ruamel_implicit_resolvers

MAX_BYTES = 256 * 1024
MAX_DEPTH = 40
MAX_NODES = 50_000
MAX_ALIASES = 100

_TAG = "tag:yaml.org,2002:"
_STR, _SEQ, _MAP, _TIMESTAMP = _TAG + "str", _TAG + "seq", _TAG + "map", _TAG + "timestamp"
_CONSTRUCTED = {_TAG + name for name in ("null", "bool", "int", "float", "timestamp")}
# A run of indentation/indicators this long, or this many flow brackets, could nest
# deeper than libyaml's recursive composer survives; such files get a depth scan first.
_DEEP_BLOCK = re.compile(rb"^[ \t?:-]{1000,}", re.MULTILINE)
_DEEP_FLOW = 1000

# libyaml and ruamel.yaml disagree on tabs as separators and on the Unicode line breaks
# NEL, LS and PS; files holding them are composed by ruamel.yaml itself.
_LIBYAML_DIFFERS = re.compile("[\t\x85\u2028\u2029]")

_ruamel = YAML(typ="safe", pure=True)
_constructor = _ruamel.constructor
# ruamel.yaml's own YAML 1.2 implicit resolver table, indexed by first character the
# way its VersionedResolver indexes it (same regexps, same order).
_IMPLICIT: dict[str | None, list[tuple[str, Any]]] = {}
for _versions, _tag, _regexp, _first in _ruamel_implicit_resolvers:
    if (1, 2) in _versions:
        for _char in _first or [None]:
            _IMPLICIT.setdefault(_char, []).append((_tag, _regexp))


_RESOLVED: dict[str, str] = {}


def resolve_plain(value: str) -> str:
    """The tag ruamel.yaml's YAML 1.2 resolver gives a plain scalar (remembered for short values)."""
    for tag, regexp in _IMPLICIT.get(value[:1], []) + _IMPLICIT.get(None, []):
        if regexp.match(value):
            break
    else:
        tag = _STR
    if len(value) < 64 and len(_RESOLVED) < 65536:
        _RESOLVED[value] = tag
    return tag


@dataclass(frozen=True)
class Problem:
    """Why a file could not be read as data, and where (1-based line and column)."""

    rule: str
    message: str
    hint: str
    line: int = 1
    column: int = 1


class _Abort(Exception):
    def __init__(self, problem: Problem) -> None:
        super().__init__(problem.message)
        self.problem = problem


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
            key_node, node = _child(node, step)
            if node is not None:
                last = index == len(path) - 1
                at = key_node if (key and last and key_node is not None) else node
        return _mark(at) if at is not None else (1, 1)


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
        text = _decode(raw)
        _check_directives(text)
        if _DEEP_BLOCK.search(raw) or raw.count(b"[") + raw.count(b"{") > _DEEP_FLOW:
            _scan_depth(text)
        root = _compose_with_ruamel(text) if _LIBYAML_DIFFERS.search(text) else _compose(text)
        if root is None:
            raise _Abort(Problem("file-empty", "the file holds no document",
                                 "write the record's fields, or delete the file"))
        # Without an anchor there can be no alias: build without the bookkeeping aliases need.
        data = _build_tree(root, 1) if b"&" not in raw else _Builder().build(root, 1)
        return Document(data=data, root=root)
    except _Abort as stop:
        return Document(problem=stop.problem)


def _decode(raw: bytes) -> str:
    if len(raw) > MAX_BYTES:
        raise _Abort(Problem("file-too-large", f"the file is {len(raw):,} bytes, over the limit of {MAX_BYTES:,}",
                             "a record is a few kilobytes; move bulk data (configs, logs) to files it references"))
    if b"\x00" in raw:
        line, column = _position(raw, raw.index(b"\x00"))
        raise _Abort(Problem("file-binary", "the file contains NUL bytes: it is binary, not YAML",
                             "replace it with a UTF-8 text file", line, column))
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as err:
        line, column = _position(raw, err.start)
        raise _Abort(Problem("file-encoding", f"byte 0x{raw[err.start]:02x} is not valid UTF-8",
                             "save the file as UTF-8 (GBK/GB18030 text must be converted)", line, column)) from None
    return text.removeprefix("\ufeff")


def _check_directives(text: str) -> None:
    """Refuse a %YAML directive other than 1.2: it would change how every scalar is read."""
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        if not stripped.startswith("%"):
            return
        if stripped.split()[0] == "%YAML" and stripped.split()[1:2] != ["1.2"]:
            raise _Abort(Problem("yaml-directive", f"the directive {stripped!r} would change how the file is read",
                                 "remove the directive: changeops reads every file as YAML 1.2", number,
                                 line.index("%") + 1))


def _position(raw: bytes, offset: int) -> tuple[int, int]:
    line_start = raw.rfind(b"\n", 0, offset) + 1
    return raw.count(b"\n", 0, offset) + 1, len(raw[line_start:offset].decode("utf-8", "replace")) + 1


def _scan_depth(text: str) -> None:
    """Walk the event stream (iterative, pure Python) to bound nesting before composing."""
    depth = 0
    try:
        for event in yaml.parse(text, Loader=yaml.SafeLoader):
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > MAX_DEPTH:
                    raise _Abort(_too_deep(event.start_mark))
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
    except yaml.YAMLError as err:
        raise _Abort(_syntax_problem(err)) from None


def _too_deep(mark: Any) -> Problem:
    return Problem("yaml-nesting", f"the document nests deeper than {MAX_DEPTH} levels",
                   "flatten the structure; records never need this depth", mark.line + 1, mark.column + 1)


class _Resolution:
    """Tag resolution mixin: YAML 1.2 as ruamel.yaml resolves it, for PyYAML's composers."""

    def descend_resolver(self, *_: Any) -> None:
        pass

    def ascend_resolver(self, *_: Any) -> None:
        pass

    def resolve(self, kind: type, value: Any, implicit: tuple[bool, bool]) -> str:
        if kind is yaml.ScalarNode:
            if not implicit[0]:
                return _STR
            tag = _RESOLVED.get(value)
            return tag if tag is not None else resolve_plain(value)
        return _SEQ if kind is yaml.SequenceNode else _MAP


if getattr(yaml, "__with_libyaml__", False):
    from yaml._yaml import CParser

    class _Composer(CParser, _Resolution):
        pass
else:  # pragma: no cover - PyYAML wheels ship libyaml on the platforms we support
    class _Composer(yaml.reader.Reader, yaml.scanner.Scanner, yaml.parser.Parser,  # type: ignore[no-redef]
                    yaml.composer.Composer, _Resolution):
        def __init__(self, stream: str) -> None:
            yaml.reader.Reader.__init__(self, stream)
            yaml.scanner.Scanner.__init__(self)
            yaml.parser.Parser.__init__(self)
            yaml.composer.Composer.__init__(self)


def _compose(text: str) -> Any:
    composer = _Composer(text)
    try:
        return composer.get_single_node()
    except yaml.reader.ReaderError as err:
        raise _Abort(_control_character(err, text)) from None
    except yaml.composer.ComposerError as err:
        if err.problem and "another document" in err.problem:
            mark = err.problem_mark
            raise _Abort(Problem("yaml-multiple-documents", "the file holds more than one YAML document",
                                 "keep one document per file: remove the '---' separator and what follows",
                                 mark.line + 1, mark.column + 1)) from None
        raise _Abort(_syntax_problem(err)) from None
    except yaml.YAMLError as err:
        raise _Abort(_syntax_problem(err)) from None
    finally:
        composer.dispose()


def _compose_with_ruamel(text: str) -> Any:
    """Compose with ruamel.yaml (the write path's parser), as PyYAML nodes for the builder."""
    from ruamel.yaml.error import MarkedYAMLError, YAMLError as RuamelError

    try:
        return _pyyaml_node(_ruamel.compose(text), {})
    except MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        problem = Problem("yaml-syntax", f"YAML syntax error: {' '.join(p for p in (err.context, err.problem) if p)}",
                          "check indentation (spaces, not tabs), a missing ':' or an unclosed quote or bracket",
                          mark.line + 1 if mark else 1, mark.column + 1 if mark else 1)
        if err.problem and "another document" in err.problem:
            problem = Problem("yaml-multiple-documents", "the file holds more than one YAML document",
                              "keep one document per file: remove the '---' separator and what follows",
                              problem.line, problem.column)
        raise _Abort(problem) from None
    except (RuamelError, RecursionError) as err:
        raise _Abort(Problem("yaml-syntax", f"YAML error: {err}", "check the file's structure")) from None


def _pyyaml_node(node: Any, done: dict[int, Any]) -> Any:
    """The same node graph (aliases shared) in PyYAML's node classes."""
    if node is None or id(node) in done:
        return done.get(id(node)) if node is not None else None
    start = yaml.Mark("", 0, node.start_mark.line, node.start_mark.column, None, None)
    tag = str(node.tag)
    if node.id == "scalar":
        done[id(node)] = yaml.ScalarNode(tag, node.value, start, start, style=node.style)
        return done[id(node)]
    if node.id == "sequence":
        result = done[id(node)] = yaml.SequenceNode(tag, [], start, start)
        result.value.extend(_pyyaml_node(item, done) for item in node.value)
        return result
    result = done[id(node)] = yaml.MappingNode(tag, [], start, start)
    result.value.extend((_pyyaml_node(k, done), _pyyaml_node(v, done)) for k, v in node.value)
    return result


def _syntax_problem(err: yaml.YAMLError) -> Problem:
    context = getattr(err, "context", None) or ""
    # An unclosed flow collection or quote is best shown where it opens, not where libyaml gave up.
    opened = "flow" in context or "quoted" in context
    mark = (getattr(err, "context_mark", None) if opened else None) or getattr(err, "problem_mark", None) \
        or getattr(err, "context_mark", None)
    line, column = (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)
    detail = " ".join(part for part in (getattr(err, "context", None), getattr(err, "problem", None)) if part)
    return Problem("yaml-syntax", f"YAML syntax error: {detail or err}",
                   "check indentation, a missing ':' or an unclosed quote or bracket near this line",
                   line, column)


def _control_character(err: yaml.reader.ReaderError, text: str) -> Problem:
    before = text[: err.position]
    line, column = before.count("\n") + 1, len(before) - (before.rfind("\n") + 1) + 1
    code = err.character if isinstance(err.character, int) else ord(err.character)
    return Problem("file-encoding", f"control character U+{code:04X} is not allowed in YAML",
                   "remove control characters from the file", line, column)


def _mark(node: Any) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1


def _child(node: Any, step: Any) -> tuple[Any, Any]:
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            if isinstance(key_node, yaml.ScalarNode) and _scalar(key_node) == step:
                return key_node, value_node
    elif isinstance(node, yaml.SequenceNode) and isinstance(step, int) and 0 <= step < len(node.value):
        return None, node.value[step]
    return None, None


_ISO_TIME = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:Z|[+-]\d\d:\d\d)")


def _scalar(node: Any) -> Any:
    if node.tag == _STR:
        return node.value
    if node.tag == _TIMESTAMP and _ISO_TIME.fullmatch(node.value):
        # the usual form, read as ruamel.yaml reads it (an aware datetime), without its regex pipeline
        moment = datetime.fromisoformat(node.value.replace("Z", "+00:00"))
        return moment.replace(tzinfo=timezone(moment.utcoffset(), node.value[19:]))
    if node.tag not in _CONSTRUCTED:
        raise _Abort(_tag_problem(node))
    try:
        return _constructor.yaml_constructors[node.tag](_constructor, RuamelScalar(node.tag, node.value))
    except (ConstructorError, ValueError, TypeError) as err:
        line, column = _mark(node)
        raise _Abort(Problem("yaml-syntax", f"{node.value!r} cannot be read as {node.tag.removeprefix(_TAG)}: {err}",
                             "quote the value to keep it a string, or correct it", line, column)) from None


def _tag_problem(node: Any) -> Problem:
    line, column = _mark(node)
    if node.tag == _TAG + "merge":
        return Problem("yaml-merge-key", "merge keys ('<<') are not supported",
                       "write the merged fields out in full", line, column)
    if node.tag == _TAG + "value":
        return Problem("yaml-syntax", "a bare '=' is not a value in YAML 1.2", "quote it: '='", line, column)
    return Problem("yaml-tag", f"the tag {node.tag!r} is not allowed",
                   "remove the tag: records hold plain strings, numbers, booleans, dates, lists and mappings",
                   line, column)


def _build_tree(node: Any, depth: int) -> Any:
    """Plain data from a node tree that holds no aliases (each node appears once)."""
    if node.__class__ is yaml.ScalarNode:
        return node.value if node.tag == _STR else _scalar(node)
    if depth > MAX_DEPTH:
        raise _Abort(_too_deep(node.start_mark))
    if node.tag == _SEQ:
        return [_build_tree(item, depth + 1) for item in node.value]
    if node.tag != _MAP:
        raise _Abort(_tag_problem(node))
    result: dict[Any, Any] = {}
    for key_node, value_node in node.value:
        if key_node.__class__ is not yaml.ScalarNode:
            raise _Abort(_complex_key(key_node))
        key = key_node.value if key_node.tag == _STR else _scalar(key_node)
        if key in result:
            raise _Abort(_duplicate_key(key, key_node))
        result[key] = _build_tree(value_node, depth + 1)
    return result


def _complex_key(node: Any) -> Problem:
    return Problem("yaml-complex-key", "a mapping key must be a plain value, not a list or mapping",
                   "use a string key", *_mark(node))


def _duplicate_key(key: Any, node: Any) -> Problem:
    return Problem("yaml-duplicate-key", f"the key {key!r} appears twice in this mapping",
                   "keep one of them: YAML does not allow repeated keys", *_mark(node))


class _Builder:
    """Turns composed nodes into plain Python data, enforcing the dialect and the bounds, aliases included."""

    def __init__(self) -> None:
        self.sizes: dict[int, int] = {}
        self.built: dict[int, Any] = {}
        self.open: set[int] = set()
        self.aliases = 0
        self.nodes = 0

    def build(self, node: Any, depth: int) -> Any:
        if isinstance(node, yaml.ScalarNode):
            if id(node) in self.built:
                return self._reuse(node, id(node))
            self._count(node, 1)
            self.sizes[id(node)], self.built[id(node)] = 1, _scalar(node)
            return self.built[id(node)]
        if depth > MAX_DEPTH:
            raise _Abort(_too_deep(node.start_mark))
        ident = id(node)
        if ident in self.built:
            return self._reuse(node, ident)
        if ident in self.open:
            line, column = _mark(node)
            raise _Abort(Problem("yaml-alias-limit", "the anchor here is aliased inside itself",
                                 "remove the recursive anchor/alias", line, column))
        if node.tag not in (_SEQ, _MAP):
            raise _Abort(_tag_problem(node))
        self.open.add(ident)
        before = self.nodes
        value = self._sequence(node, depth) if node.tag == _SEQ else self._mapping(node, depth)
        self.open.discard(ident)
        self._count(node, 1)
        self.sizes[ident], self.built[ident] = self.nodes - before, value
        return value

    def _reuse(self, node: Any, ident: int) -> Any:
        self.aliases += 1
        if self.aliases > MAX_ALIASES:
            line, column = _mark(node)
            raise _Abort(Problem("yaml-alias-limit", f"more than {MAX_ALIASES} aliases (the last one refers to the anchor here)",
                                 "write the values out instead of using anchors and aliases", line, column))
        self._count(node, self.sizes[ident])
        return self.built[ident]

    def _count(self, node: Any, amount: int) -> None:
        self.nodes += amount
        if self.nodes > MAX_NODES:
            line, column = _mark(node)
            raise _Abort(Problem("yaml-alias-limit", f"aliases of the anchor here expand the document to more than {MAX_NODES:,} values",
                                 "anchors and aliases multiply here; write the data out plainly", line, column))

    def _sequence(self, node: Any, depth: int) -> list[Any]:
        return [self.build(item, depth + 1) for item in node.value]

    def _mapping(self, node: Any, depth: int) -> dict[Any, Any]:
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                raise _Abort(_complex_key(key_node))
            key = self.build(key_node, depth + 1)
            if key in result:
                raise _Abort(_duplicate_key(key, key_node))
            result[key] = self.build(value_node, depth + 1)
        return result
