"""From bytes to a node tree: decoding, directives, depth, and composing with libyaml or ruamel.yaml."""

from __future__ import annotations

import re
from typing import Any

import yaml

from changeops.yaml12.problems import MAX_BYTES, MAX_DEPTH, Abort, Problem, too_deep
from changeops.yaml12.scalars import MAP, RESOLVED, SEQ, STR, resolve_plain, ruamel_yaml

# A run of indentation/indicators this long, or this many flow brackets, could nest
# deeper than libyaml's recursive composer survives; such files get a depth scan first.
DEEP_BLOCK = re.compile(rb"^[ \t?:-]{1000,}", re.MULTILINE)
DEEP_FLOW = 1000


# libyaml and ruamel.yaml disagree on tabs as separators and on the Unicode line breaks
# NEL, LS and PS; files holding them are composed by ruamel.yaml itself.
LIBYAML_DIFFERS = re.compile("[\t\x85\u2028\u2029]")


def decode(raw: bytes) -> str:
    if len(raw) > MAX_BYTES:
        raise Abort(
            Problem(
                "file-too-large",
                f"the file is {len(raw):,} bytes, over the limit of {MAX_BYTES:,}",
                "a record is a few kilobytes; move bulk data (configs, logs) to files it references",
            )
        )
    if b"\x00" in raw:
        line, column = _position(raw, raw.index(b"\x00"))
        raise Abort(
            Problem(
                "file-binary",
                "the file contains NUL bytes: it is binary, not YAML",
                "replace it with a UTF-8 text file",
                line,
                column,
            )
        )
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as err:
        line, column = _position(raw, err.start)
        raise Abort(
            Problem(
                "file-encoding",
                f"byte 0x{raw[err.start]:02x} is not valid UTF-8",
                "save the file as UTF-8 (GBK/GB18030 text must be converted)",
                line,
                column,
            )
        ) from None
    return text.removeprefix("\ufeff")


def check_directives(text: str) -> None:
    """Refuse a %YAML directive other than 1.2: it would change how every scalar is read."""
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        if not stripped.startswith("%"):
            return
        if stripped.split()[0] == "%YAML" and stripped.split()[1:2] != ["1.2"]:
            raise Abort(
                Problem(
                    "yaml-directive",
                    f"the directive {stripped!r} would change how the file is read",
                    "remove the directive: changeops reads every file as YAML 1.2",
                    number,
                    line.index("%") + 1,
                )
            )


def _position(raw: bytes, offset: int) -> tuple[int, int]:
    line_start = raw.rfind(b"\n", 0, offset) + 1
    return raw.count(b"\n", 0, offset) + 1, len(raw[line_start:offset].decode("utf-8", "replace")) + 1


def scan_depth(text: str) -> None:
    """Walk the event stream (iterative, pure Python) to bound nesting before composing."""
    depth = 0
    try:
        for event in yaml.parse(text, Loader=yaml.SafeLoader):
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > MAX_DEPTH:
                    raise Abort(too_deep(event.start_mark))
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
    except yaml.YAMLError as err:
        raise Abort(_syntax_problem(err)) from None


class _Resolution:
    """Tag resolution mixin: YAML 1.2 as ruamel.yaml resolves it, for PyYAML's composers."""

    def descend_resolver(self, *_: Any) -> None:
        pass

    def ascend_resolver(self, *_: Any) -> None:
        pass

    def resolve(self, kind: type, value: Any, implicit: tuple[bool, bool]) -> str:
        if kind is yaml.ScalarNode:
            if not implicit[0]:
                return STR
            tag = RESOLVED.get(value)
            return tag if tag is not None else resolve_plain(value)
        return SEQ if kind is yaml.SequenceNode else MAP


if getattr(yaml, "__with_libyaml__", False):
    from yaml._yaml import CParser

    class _Composer(CParser, _Resolution):
        pass
else:  # pragma: no cover - PyYAML wheels ship libyaml on the platforms we support

    class _Composer(
        yaml.reader.Reader,
        yaml.scanner.Scanner,
        yaml.parser.Parser,  # type: ignore[no-redef]
        yaml.composer.Composer,
        _Resolution,
    ):
        def __init__(self, stream: str) -> None:
            yaml.reader.Reader.__init__(self, stream)
            yaml.scanner.Scanner.__init__(self)
            yaml.parser.Parser.__init__(self)
            yaml.composer.Composer.__init__(self)


def compose(text: str) -> Any:
    composer = _Composer(text)
    try:
        return composer.get_single_node()
    except yaml.reader.ReaderError as err:
        raise Abort(_control_character(err, text)) from None
    except yaml.composer.ComposerError as err:
        if err.problem and "another document" in err.problem:
            mark = err.problem_mark
            raise Abort(
                Problem(
                    "yaml-multiple-documents",
                    "the file holds more than one YAML document",
                    "keep one document per file: remove the '---' separator and what follows",
                    mark.line + 1,
                    mark.column + 1,
                )
            ) from None
        raise Abort(_syntax_problem(err)) from None
    except yaml.YAMLError as err:
        raise Abort(_syntax_problem(err)) from None
    finally:
        composer.dispose()


def compose_with_ruamel(text: str) -> Any:
    """Compose with ruamel.yaml (the write path's parser), as PyYAML nodes for the builder."""
    from ruamel.yaml.error import MarkedYAMLError
    from ruamel.yaml.error import YAMLError as RuamelError

    try:
        return _pyyaml_node(ruamel_yaml.compose(text), {})
    except MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        problem = Problem(
            "yaml-syntax",
            f"YAML syntax error: {' '.join(p for p in (err.context, err.problem) if p)}",
            "check indentation (spaces, not tabs), a missing ':' or an unclosed quote or bracket",
            mark.line + 1 if mark else 1,
            mark.column + 1 if mark else 1,
        )
        if err.problem and "another document" in err.problem:
            problem = Problem(
                "yaml-multiple-documents",
                "the file holds more than one YAML document",
                "keep one document per file: remove the '---' separator and what follows",
                problem.line,
                problem.column,
            )
        raise Abort(problem) from None
    except (RuamelError, RecursionError) as err:
        raise Abort(Problem("yaml-syntax", f"YAML error: {err}", "check the file's structure")) from None


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
    mark = (
        (getattr(err, "context_mark", None) if opened else None)
        or getattr(err, "problem_mark", None)
        or getattr(err, "context_mark", None)
    )
    line, column = (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)
    detail = " ".join(part for part in (getattr(err, "context", None), getattr(err, "problem", None)) if part)
    return Problem(
        "yaml-syntax",
        f"YAML syntax error: {detail or err}",
        "check indentation, a missing ':' or an unclosed quote or bracket near this line",
        line,
        column,
    )


def _control_character(err: yaml.reader.ReaderError, text: str) -> Problem:
    before = text[: err.position]
    line, column = before.count("\n") + 1, len(before) - (before.rfind("\n") + 1) + 1
    code = err.character if isinstance(err.character, int) else ord(err.character)
    return Problem(
        "file-encoding",
        f"control character U+{code:04X} is not allowed in YAML",
        "remove control characters from the file",
        line,
        column,
    )
