"""From bytes to a node tree: decoding, directives, depth, and composing with libyaml or ruamel.yaml."""

from __future__ import annotations

import re
from typing import Any

import yaml
from ruamel.yaml import YAML
from ruamel.yaml.docinfo import DocInfo, version
from ruamel.yaml.error import MarkedYAMLError
from ruamel.yaml.error import YAMLError as RuamelError
from ruamel.yaml.reader import ReaderError as RuamelReaderError

from changeops.yaml12.depth import BoundedComposer, may_nest_deeper, scan_depth
from changeops.yaml12.problems import (
    MAX_BYTES,
    MAX_DEPTH,
    Abort,
    Problem,
    line_and_column,
    multiple_documents,
    no_document,
)
from changeops.yaml12.scalars import MAP, RESOLVED, SEQ, STR, resolve_plain

# What libyaml reads differently from ruamel.yaml; files holding any of it are composed by
# ruamel.yaml itself:
# - tabs as separators, and the Unicode line breaks NEL, LS and PS;
# - an anchor or alias whose name runs on past what libyaml allows ([0-9A-Za-z_-]): libyaml ends
#   the name early (`&an:chor value` anchors ':chor value' as `an`) or refuses it (`&é`);
# - the non-specific tag `!`, which libyaml resolves like a plain scalar (`! :` has the key None,
#   not '');
# - a second document end marker '...', which ruamel.yaml reads as a second (empty) document.
# Each pattern starts with the characters it looks for (the lookbehinds follow them), which lets
# the regex engine skip to candidates instead of trying every position.
_TABS_AND_BREAKS = re.compile("[\t\x85\u2028\u2029]")
_ODD_PROPERTY = re.compile(
    r"[&*!](?<![^\s\[{,][&*!])"
    r"(?:(?<=[&*])[0-9A-Za-z_-]*[^0-9A-Za-z_\s,\]}-]|(?<=!)(?=[\s,\]}]|$))"
)


_PROPERTY_NAME = re.compile(r"[&*](?<![^\s\[{,][&*])[^\s,\[\]{}]+")
_NAME_CHARACTER = re.compile("[^0-9A-Za-z_-]")


def _plain_name(anchor: re.Match[str]) -> str:
    """The anchor or alias with each character libyaml does not take in a name replaced by 'a'."""
    return anchor[0][0] + _NAME_CHARACTER.sub("a", anchor[0][1:])


def libyaml_differs(text: str) -> bool:
    """Whether libyaml could read ``text`` differently from ruamel.yaml (see above)."""
    if _TABS_AND_BREAKS.search(text):
        return True
    if "..." in text and text.startswith("...") + text.count("\n...") + text.count("\r...") > 1:
        return True
    return ("&" in text or "*" in text or "!" in text) and _ODD_PROPERTY.search(text) is not None


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

    class _Composer(  # type: ignore[no-redef]
        yaml.reader.Reader,
        yaml.scanner.Scanner,
        yaml.parser.Parser,
        yaml.composer.Composer,
        _Resolution,
    ):
        def __init__(self, stream: str) -> None:
            yaml.reader.Reader.__init__(self, stream)
            yaml.scanner.Scanner.__init__(self)
            yaml.parser.Parser.__init__(self)
            yaml.composer.Composer.__init__(self)


# ruamel.yaml composing for the builder: its safe loader's parser, stopped at the first level too deep
_ruamel = YAML(typ="safe", pure=True)
_ruamel.Composer = BoundedComposer

# The flat event stream for the depth scan: libyaml's parser keeps its own stack, not the C one.
_EVENTS = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def compose(text: str) -> Any:
    """The root node of the one document in ``text`` (None if it holds none), composed by libyaml.

    A file libyaml cannot read is tried again with ruamel.yaml, which defines the dialect.
    """
    if may_nest_deeper(text):
        scan_depth(text, yaml.parse(text, Loader=_EVENTS), (yaml.YAMLError,))
    composer, refused = _Composer(text), None
    try:
        root = composer.get_node() if composer.check_node() else None
        # A block scalar at the root may hold lines starting with '#' at column 0: text to
        # ruamel.yaml (and to YAML 1.2), a comment to libyaml, which may then see a second document.
        if root.__class__ is not yaml.ScalarNode or root.style not in ("|", ">"):
            _nothing_after(composer.peek_event, yaml.YAMLError)
            return root
    except yaml.reader.ReaderError as err:
        raise Abort(_control_character(err.position, err.character, text)) from None
    except yaml.YAMLError as err:
        refused = _syntax_problem(err)  # libyaml's reason, reported if ruamel.yaml cannot read the file either
    finally:
        composer.dispose()
    return compose_with_ruamel(text, refused)


def compose_with_ruamel(text: str, refused: Problem | None = None) -> Any:
    """Compose with ruamel.yaml (the write path's parser), as PyYAML nodes for the builder.

    ``refused`` is why libyaml could not read the file: the finding if ruamel.yaml cannot either.
    """
    if text.count("[") + text.count("{") > MAX_DEPTH:
        # On a line of opening brackets ruamel.yaml's scanner looks 1,024 characters ahead, paying
        # for every open level at each step: libyaml's event stream finds a flow too deep at C speed,
        # given anchor names it can scan (same length, so positions hold).
        scan_depth(text, yaml.parse(_PROPERTY_NAME.sub(_plain_name, text), Loader=_EVENTS), (yaml.YAMLError,))
    composer, parser = _ruamel_reading(text)
    try:
        return _pyyaml_node(_single_document(composer, parser.peek_event, RuamelError), {})
    except MarkedYAMLError as err:
        raise Abort(_unless_empty(text, refused or _ruamel_syntax_problem(err))) from None
    except (RuamelError, RecursionError) as err:
        problem = Problem("yaml-syntax", f"YAML error: {err}", "check the file's structure")
        raise Abort(_unless_empty(text, refused or problem)) from None
    finally:
        parser.dispose()
        _ruamel.reader.reset_reader()
        _ruamel.scanner.reset_scanner()


def _ruamel_reading(text: str) -> tuple[Any, Any]:
    """ruamel.yaml's composer and parser, set to read ``text``."""
    # what YAML.compose does before it reads (the %YAML directive is recorded in doc_infos),
    # without its list of every document ever read
    _ruamel.doc_infos = [DocInfo(requested_version=version(_ruamel.version))]
    _ruamel.tags = {}
    try:
        constructor, parser = _ruamel.get_constructor_parser(text)
    except RuamelReaderError as err:
        _ruamel.reader.reset_reader()
        raise Abort(_control_character(err.position, err.character, text)) from None
    # YAML 1.2 lets a document define an anchor again (an alias means the latest): no warning
    constructor.composer.warn_double_anchors = False
    return constructor.composer, parser


def _single_document(composer: Any, peek_event: Any, errors: type[Exception]) -> Any:
    """The root node of the first document, after making sure nothing follows it."""
    root = composer.get_node() if composer.check_node() else None
    _nothing_after(peek_event, errors)
    return root


def _nothing_after(peek_event: Any, errors: type[Exception]) -> None:
    """Refuse a second document after the one composed."""
    try:
        following = peek_event()
    except errors as err:
        # what follows the first document does not even parse: it is a second document all the same
        raise Abort(multiple_documents(getattr(err, "problem_mark", None))) from None
    if following is not None and following.__class__.__name__ != "StreamEndEvent":
        raise Abort(multiple_documents(following.start_mark))


def _unless_empty(text: str, problem: Problem) -> Problem:
    """``problem``, unless the file holds nothing but comments, directives and document end markers."""
    for line in text.splitlines():
        bare = line.partition(" #")[0].strip()
        if bare and not bare.startswith(("#", "%")) and bare != "...":
            return problem
    return no_document()


def _ruamel_syntax_problem(err: Any) -> Problem:
    mark = err.problem_mark or err.context_mark
    return Problem(
        "yaml-syntax",
        f"YAML syntax error: {' '.join(p for p in (err.context, err.problem) if p)}",
        "check indentation (spaces, not tabs), a missing ':' or an unclosed quote or bracket",
        mark.line + 1 if mark else 1,
        mark.column + 1 if mark else 1,
    )


def _pyyaml_node(node: Any, done: dict[int, Any]) -> Any:
    """The same node graph (aliases shared) in PyYAML's node classes."""
    if node is None or id(node) in done:
        return done.get(id(node)) if node is not None else None
    start = yaml.Mark("", 0, node.start_mark.line, node.start_mark.column, None, 0)
    tag = str(node.tag)
    if node.id == "scalar":
        done[id(node)] = yaml.ScalarNode(tag, node.value, start, start, style=node.style)
        return done[id(node)]
    if node.id == "sequence":
        result = done[id(node)] = yaml.SequenceNode(tag, [], start, start)
        result.value.extend(_pyyaml_node(item, done) for item in node.value)
        return result
    mapping = done[id(node)] = yaml.MappingNode(tag, [], start, start)
    mapping.value.extend((_pyyaml_node(k, done), _pyyaml_node(v, done)) for k, v in node.value)
    return mapping


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


def _control_character(position: int, character: Any, text: str) -> Problem:
    code = character if isinstance(character, int) else ord(character)
    return Problem(
        "file-encoding",
        f"control character U+{code:04X} is not allowed in YAML",
        "remove control characters from the file",
        *line_and_column(text, position),
    )
