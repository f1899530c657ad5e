"""The YAML 1.2 loader: its bounds, where it locates values, and that it reads every
file exactly as ruamel.yaml (the round-trip write path, and its safe loader) does."""

from __future__ import annotations

import datetime as dt
import warnings
from pathlib import Path
from typing import Any

import pytest
from changeops.yaml12 import MAX_ALIASES, MAX_BYTES, MAX_DEPTH, MAX_NODES, load
from changeops.yaml12.depth import may_nest_deeper
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq, TaggedScalar
from ruamel.yaml.composer import ReusedAnchorWarning
from ruamel.yaml.scalarbool import ScalarBoolean
from ruamel.yaml.scalarfloat import ScalarFloat
from ruamel.yaml.scalarint import ScalarInt
from ruamel.yaml.timestamp import TimeStamp
from support.yaml_values import meaning

REPO = Path(__file__).resolve().parents[2]


def problem(raw: bytes) -> tuple[str, int, int]:
    doc = load(raw)
    assert doc.problem is not None, f"{raw[:60]!r} was accepted as {doc.data!r}"
    assert doc.data is None
    assert doc.problem.message and doc.problem.hint
    return doc.problem.rule, doc.problem.line, doc.problem.column


def data(raw: bytes) -> Any:
    doc = load(raw)
    assert doc.problem is None, doc.problem
    return doc.data


# --- size, bytes and encoding ---------------------------------------------------------------


def test_a_file_at_the_size_limit_is_read() -> None:
    raw = b"a: 1\n# " + b"x" * (MAX_BYTES - 8) + b"\n"
    assert len(raw) == MAX_BYTES
    assert data(raw) == {"a": 1}


def test_a_file_over_the_size_limit_is_refused_before_parsing() -> None:
    assert problem(b"a: [" + b" " * MAX_BYTES) == ("file-too-large", 1, 1)


def test_a_nul_byte_is_binary_and_located() -> None:
    assert problem(b"a: 1\nb: x\x00y\n") == ("file-binary", 2, 5)


def test_gbk_text_is_refused_at_its_first_invalid_byte() -> None:
    assert problem("标题: 中文".encode("gbk")) == ("file-encoding", 1, 1)


def test_the_encoding_column_counts_characters_not_bytes() -> None:
    assert problem("a: 1\n标题: ".encode() + b"\xff\n") == ("file-encoding", 2, 5)


def test_a_control_character_is_located() -> None:
    assert problem(b"a: 1\nb: x\x07y\n") == ("file-encoding", 2, 5)


def test_a_control_character_is_refused() -> None:
    assert problem(b"a: 1\nb: x\x07y\n")[0] == "file-encoding"


def test_a_utf8_bom_is_ignored_and_does_not_shift_positions() -> None:
    assert data(b"\xef\xbb\xbfa: 1\n") == {"a": 1}
    assert problem(b"\xef\xbb\xbfa: 1\na: 2\n") == ("yaml-duplicate-key", 2, 1)


# --- nesting ---------------------------------------------------------------------------------

def nested_lists(levels: int, *, prescan: bool) -> bytes:
    """``a:`` holding ``levels`` nested flow lists; optionally enough brackets to trigger the pre-scan."""
    raw = b"a: " + b"[" * levels + b"1" + b"]" * levels + b"\n"
    return raw + (b"b: [" + b"[], " * 1_100 + b"[]]\n" if prescan else b"")


@pytest.mark.parametrize("prescan", [False, True], ids=["build", "pre-scan"])
def test_nesting_past_the_limit_is_refused_at_the_first_level_too_deep(prescan: bool) -> None:
    # root mapping is level 1, the k-th '[' (column 3 + k) is level k + 1
    assert problem(nested_lists(MAX_DEPTH, prescan=prescan)) == ("yaml-nesting", 1, 3 + MAX_DEPTH)


@pytest.mark.parametrize("prescan", [False, True], ids=["build", "pre-scan"])
def test_nesting_at_the_limit_is_read(prescan: bool) -> None:
    assert data(nested_lists(MAX_DEPTH - 1, prescan=prescan))["a"] is not None


@pytest.mark.parametrize("raw, line", [
    (b"a: " + b"[" * 100_000 + b"]" * 100_000 + b"\n", 1),
    (b"a: " + b"{b: " * 60_000 + b"\n", 1),
    (b"a:\n  " + b"- " * 50_000 + b"x\n", 2),
], ids=["flow-100k", "flow-unclosed", "block-sequence-50k"])
def test_hostile_nesting_is_refused_without_recursing(raw: bytes, line: int) -> None:
    assert problem(raw)[:2] == ("yaml-nesting", line)


def deeper_than(text: str, index: int) -> tuple[int, int]:
    """Line and column (1-based) of ``text[index]`` counting CRLF, CR and LF as line breaks, the
    way both composers' marks count them (NEL, LS and PS are characters of the line)."""
    lines = text[:index].replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return len(lines), len(lines[-1]) + 1


def block_mapping(levels: int, nl: str) -> tuple[str, int]:
    """``levels`` nested block mappings, one key a line; and where level MAX_DEPTH + 1 starts."""
    keys = [" " * i + "k:" for i in range(levels - 1)] + [" " * (levels - 1) + "k: v"]
    text = nl.join(keys) + nl
    return text, text.find(" " * MAX_DEPTH + "k") + MAX_DEPTH


def block_sequence(levels: int, nl: str) -> tuple[str, int]:
    """A mapping holding ``levels - 1`` compact nested sequences on one line."""
    text = "a:" + nl + "  " + "- " * (levels - 1) + "x" + nl
    return text, text.find("-") + 2 * (MAX_DEPTH - 1)


def flow_sequence(levels: int, nl: str) -> tuple[str, int]:
    text = "a:" + nl + "  " + "[" * (levels - 1) + "x" + "]" * (levels - 1) + nl
    return text, text.find("[") + MAX_DEPTH - 1


LINE_BREAKS = {"lf": "\n", "crlf": "\r\n", "cr": "\r", "nel": "\x85", "ls": "\u2028", "ps": "\u2029"}
EXTRAS = {
    "plain": "",
    "tab": "# a\ttab sends the file to ruamel.yaml",
    "brackets": "# " + "[" * 1_100,
    "tab-brackets": "# a\ttab and " + "[" * 1_100,
    "indented": " " * 600 + "# deep indentation",
}


def test_the_extras_send_libyaml_files_through_the_pre_scan() -> None:
    assert may_nest_deeper(EXTRAS["brackets"]) and may_nest_deeper(EXTRAS["indented"])
    assert not may_nest_deeper(EXTRAS["plain"] + EXTRAS["tab"])


@pytest.mark.parametrize("extra", list(EXTRAS))
@pytest.mark.parametrize("nl", list(LINE_BREAKS))
@pytest.mark.parametrize("shape", [block_mapping, block_sequence, flow_sequence], ids=lambda f: f.__name__)
def test_the_nesting_bound_is_exact_whatever_the_line_breaks(shape: Any, nl: str, extra: str) -> None:
    """At the bound a file is read; one level more is refused where that level starts, on every
    read path (libyaml, its pre-scan, ruamel.yaml for tabs and NEL/LS/PS)."""
    at_bound, _ = shape(MAX_DEPTH, LINE_BREAKS[nl])
    over, index = shape(MAX_DEPTH + 1, LINE_BREAKS[nl])
    assert data((at_bound + EXTRAS[extra]).encode()) is not None
    assert problem((over + EXTRAS[extra]).encode()) == ("yaml-nesting", *deeper_than(over, index))


@pytest.mark.parametrize("nl", list(LINE_BREAKS))
@pytest.mark.parametrize("levels", [1_000, 1_001, 100_000])
def test_deep_flow_with_a_tab_is_refused_at_the_bound_without_recursing(levels: int, nl: str) -> None:
    raw = ("[" * levels + "\t" + "]" * levels + LINE_BREAKS[nl]).encode()
    assert problem(raw) == ("yaml-nesting", 1, MAX_DEPTH + 1)


@pytest.mark.parametrize("prefix", ["a: &x:y ", "a: &é ", "a: &x?\n  ", "a: ! "], ids=repr)
def test_deep_flow_after_an_anchor_libyaml_cannot_scan_is_refused_at_the_bound(prefix: str) -> None:
    # such files are composed by ruamel.yaml, whose scanner pays for every open bracket on a line
    at_bound = prefix + "[" * (MAX_DEPTH - 1) + "]" * (MAX_DEPTH - 1) + "\n"
    over = prefix + "[" * 10_000 + "]" * 10_000 + "\n"
    line = prefix.count("\n") + 1
    assert load(at_bound.encode()).problem is None
    assert problem(over.encode()) == ("yaml-nesting", line, len(prefix.split("\n")[-1]) + MAX_DEPTH)


@pytest.mark.parametrize("nl", list(LINE_BREAKS))
def test_deep_block_nesting_is_refused_before_libyaml_recurses_whatever_the_line_breaks(nl: str) -> None:
    # 50,000 nested sequences after a CR-only line break once overflowed libyaml's C stack
    raw = ("a:" + LINE_BREAKS[nl] + "  " + "- " * 50_000 + "x" + LINE_BREAKS[nl]).encode()
    assert problem(raw)[0] == "yaml-nesting"


# --- aliases ---------------------------------------------------------------------------------

def aliased_mappings(count: int) -> bytes:
    return b"base: &p {a: 1}\n" + b"".join(b"v%d: *p\n" % i for i in range(count))


def test_aliases_up_to_the_limit_are_read() -> None:
    assert len(data(aliased_mappings(MAX_ALIASES))) == MAX_ALIASES + 1


def test_one_alias_over_the_limit_is_refused() -> None:
    assert problem(aliased_mappings(MAX_ALIASES + 1))[0] == "yaml-alias-limit"


def test_aliases_of_scalars_count_against_the_limit() -> None:
    raw = b"s: &s x\n" + b"".join(b"v%d: *s\n" % i for i in range(MAX_ALIASES + 1))
    assert problem(raw)[0] == "yaml-alias-limit"


def test_alias_expansion_is_bounded_while_building() -> None:
    lines = [b"a: &a [x, x, x, x, x, x, x, x, x, x]"]
    lines += [b"%c: &%c [%s]" % (c, c, b", ".join([b"*" + bytes([c - 1])] * 10)) for c in b"bcdefghi"]
    assert problem(b"\n".join(lines) + b"\n")[0] == "yaml-alias-limit"
    assert load(b"\n".join(lines) + b"\n").problem.message.endswith(f"{MAX_NODES:,} values")


def test_a_recursive_alias_is_refused() -> None:
    assert problem(b"a: &x [1, *x]\n")[0] == "yaml-alias-limit"
    assert problem(b"a: &x {b: *x}\n")[0] == "yaml-alias-limit"


def test_aliases_cannot_nest_the_data_past_the_depth_bound() -> None:
    inner = "a: &x [[[1]]]\nb: {c: &y [*x]}\n"  # y spans 4 levels
    assert data((inner + "d: " + "[" * 35 + "*y" + "]" * 35 + "\n").encode())["d"] is not None
    assert problem((inner + "d: " + "[" * 36 + "*y" + "]" * 36 + "\n").encode()) == ("yaml-nesting", 2, 8)


def test_a_chain_of_aliased_deep_lists_is_refused_before_it_is_thousands_deep() -> None:
    lines = ["a0: &a0 " + "[" * 38 + "x" + "]" * 38]
    lines += [f"a{i}: &a{i} " + "[" * 37 + f"*a{i - 1}" + "]" * 37 for i in range(1, 30)]
    assert problem("\n".join(lines).encode())[0] == "yaml-nesting"


def test_an_alias_of_a_mapping_reads_as_equal_data() -> None:
    assert data(b"a: &x {b: 1}\nc: *x\n") == {"a": {"b": 1}, "c": {"b": 1}}


# --- tags, merge keys, keys ------------------------------------------------------------------

@pytest.mark.parametrize("text", [
    'a: !!python/object/apply:os.system ["true"]',
    "a: !!python/name:os.system",
    "a: !!python/object:datetime.date {year: 2026}",
    "a: !!binary aGVsbG8=",
    "a: !!set {x, y}",
    "a: !!omap [x: 1]",
    "a: !!pairs [x: 1]",
    "a: !foo bar",
    "a: !foo [bar]",
    "a: !<tag:example.com,2026:x> y",
    "!foo a: b",
])
def test_tags_that_construct_other_objects_are_refused(text: str) -> None:
    assert problem(text.encode() + b"\n") == ("yaml-tag", 1, text.index("!") + 1)


def test_standard_scalar_tags_are_read_as_their_type() -> None:
    assert data(b"a: !!str 022\nb: !!int '7'\nc: !!float 1\n") == {"a": "022", "b": 7, "c": 1.0}


@pytest.mark.parametrize("text, column", [("<<: {a: 1}", 1), ("b: &x {a: 1}\nc:\n  <<: *x", 3), ("a: <<", 4)])
def test_merge_keys_are_refused(text: str, column: int) -> None:
    assert problem(text.encode() + b"\n") == ("yaml-merge-key", text.count("\n") + 1, column)


def test_a_quoted_merge_key_is_a_plain_string() -> None:
    assert data(b"'<<': a\n") == {"<<": "a"}


def test_a_collection_as_key_is_refused() -> None:
    assert problem(b"? [a, b]\n: c\n") == ("yaml-complex-key", 1, 3)


def test_a_bare_equals_sign_is_refused() -> None:
    assert problem(b"a: =\n") == ("yaml-syntax", 1, 4)


@pytest.mark.parametrize("text, line, column", [
    ("a: 1\nb: 2\na: 3", 3, 1),
    ("a:\n  b: 1\n  c: 2\n  b: 3", 4, 3),
    ("{a: 1, a: 2}", 1, 8),
    ("1: a\n0x1: b", 2, 1),
    ("~: a\nnull: b", 2, 1),
    ("yes: a\n'yes': b", 2, 1),
    ("2026-12-08: a\n2026-12-08: b", 2, 1),
])
def test_duplicate_keys_are_refused_where_the_second_one_is(text: str, line: int, column: int) -> None:
    assert problem(text.encode() + b"\n") == ("yaml-duplicate-key", line, column)


# --- documents -------------------------------------------------------------------------------

@pytest.mark.parametrize("raw, line", [
    (b"a: 1\n---\nb: 2\n", 2),
    (b"---\na: 1\n...\n---\nb: 2\n", 4),
    (b"a: 1\n---\n", 2),
])
def test_more_than_one_document_is_refused(raw: bytes, line: int) -> None:
    assert problem(raw) == ("yaml-multiple-documents", line, 1)


@pytest.mark.parametrize("raw, line", [
    (b"a: 1\n...\n%YAML 1.2\n", 4),
    (b"a: 1\n...\nb: [\n", 3),
    (b"a:\n  x: 1\n---\nb: 'x\ty'\n", 3),
    (b"a: 'x\ty'\n---\nb: 2\n", 2),
    (b"a: &x:y 1\n---\nb: 2\n", 2),
    (b"a: 1\n...\n...\n", 3),
    (b"a: 1\r...\r# c\r...\r", 4),
], ids=["directive-without-document", "unparsable-second", "tab-in-second", "composed-by-ruamel", "odd-anchor",
        "second-end-marker", "second-end-marker-cr"])
def test_whatever_follows_the_first_document_is_a_second_one(raw: bytes, line: int) -> None:
    assert problem(raw)[:2] == ("yaml-multiple-documents", line)


def test_one_document_with_markers_is_read() -> None:
    assert data(b"---\na: 1\n...\n") == {"a": 1}


@pytest.mark.parametrize("raw", [b"", b"\n\n", b"   \n", b"# only a comment\n", b"\xef\xbb\xbf", b"...\n",
                                 b"# c\n...\n", b"%YAML 1.2\n", b"\t\n# tab\n", b"# c\r\n... # end\r\n"])
def test_a_file_without_a_document_is_empty(raw: bytes) -> None:
    assert problem(raw) == ("file-empty", 1, 1)


@pytest.mark.parametrize("raw", [b"%YAML 1.1\n---\na: yes\n", b"# head\n%YAML 1.1\n---\na: yes\n"])
def test_a_yaml_version_directive_is_refused(raw: bytes) -> None:
    assert problem(raw)[0] == "yaml-directive"


def test_a_yaml_version_directive_after_a_bom_is_refused() -> None:
    assert problem(b"\xef\xbb\xbf%YAML 1.1\n---\na: yes\n")[0] == "yaml-directive"


@pytest.mark.parametrize("text, line, column", [
    ("a:\n  b: 1\n   c: 2", 3, 5),
    ("a: 1\n\tb: 2", 2, 1),
    ("a: 'unclosed\n", 1, 4),
    ("a: 1\nb: [c, d\ne: f", 2, 4),
])
def test_syntax_errors_are_located(text: str, line: int, column: int) -> None:
    assert problem(text.encode() + b"\n") == ("yaml-syntax", line, column)


# --- dates and times that do not exist ------------------------------------------------------

@pytest.mark.parametrize("text, column", [
    ("a: 2026-02-30", 4),
    ("a: 2026-11-31", 4),
    ("a: 0000-01-01", 4),
    ("a: 2026-12-08T00:30:00+24:00", 4),
    ("a: 2026-12-08T00:30:00-24:00", 4),
    ("a: 2026-12-08T25:30:00+08:00", 4),
    ("a: 2026-12-08T00:60:00Z", 4),
    ("a: 2026-12-08T00:00:61Z", 4),
    ("a: 2026-02-29T00:00:00Z", 4),
    ("a: 2026-12-08 00:30:00 +24:00", 4),
    ("a: 2026-12-08T24:00:00", 4),
    ("a: [x, 2026-13-01]", 8),
    ("a: !!timestamp 2026-11-31", 4),
    ("2026-11-31: x", 1),
], ids=repr)
def test_a_date_or_time_that_does_not_exist_is_a_finding_where_it_is(text: str, column: int) -> None:
    assert problem(b"ok: 1\n" + text.encode() + b"\n") == ("yaml-invalid-date", 2, column)


@pytest.mark.parametrize("text", ["a: 2026-12-08T23:59:59+23:59", "a: 2024-02-29T00:00:00Z", "a: 9999-12-31"])
def test_dates_and_times_at_the_edge_of_their_ranges_are_read(text: str) -> None:
    assert list(data(text.encode() + b"\n")) == ["a"]


@pytest.mark.parametrize("text", ["a: !!bool 1", "a: !!int x", "a: !!float x", "a: !!int 0x", "a: !!int", "a: !!float"])
def test_an_explicit_tag_its_value_cannot_have_is_a_finding(text: str) -> None:
    assert problem(text.encode() + b"\n") == ("yaml-syntax", 1, 4)


# --- Document.locate -------------------------------------------------------------------------

LOCATED = b"a: 1\nb:\n  c: [x, y]\n  d: {e: f}\n1: int key\n"


@pytest.mark.parametrize("path, key, where", [
    (("a",), False, (1, 4)),
    (("a",), True, (1, 1)),
    (("b",), False, (3, 3)),
    (("b", "c"), False, (3, 6)),
    (("b", "c", 1), False, (3, 10)),
    (("b", "d", "e"), False, (4, 10)),
    (("b", "d", "e"), True, (4, 7)),
    ((1,), False, (5, 4)),
    ((), False, (1, 1)),
], ids=repr)
def test_locate_finds_values_and_keys(path: tuple[Any, ...], key: bool, where: tuple[int, int]) -> None:
    assert load(LOCATED).locate(path, key=key) == where


@pytest.mark.parametrize("path, key, where", [
    (("b", "missing"), False, (3, 3)),
    (("b", "missing"), True, (3, 3)),
    (("b", "c", 5), False, (3, 6)),
    (("b", "c", "x"), False, (3, 6)),
    (("a", "below-a-scalar"), False, (1, 4)),
    (("missing", "deeper"), False, (1, 1)),
], ids=repr)
def test_locate_resolves_a_missing_path_to_the_deepest_node_that_exists(
        path: tuple[Any, ...], key: bool, where: tuple[int, int]) -> None:
    assert load(LOCATED).locate(path, key=key) == where


def test_locate_a_missing_field_named_like_its_parent() -> None:
    assert load(b"b:\n  c: 1\n").locate(("b", "b"), key=True) == (2, 3)


def test_locate_on_a_refused_document_falls_back_to_the_start() -> None:
    assert load(b"a: [\n").locate(("a",)) == (1, 1)


# --- one dialect: the loader reads what ruamel.yaml reads ------------------------------------

def plain(value: Any) -> Any:
    """ruamel.yaml's round-trip types as the plain Python data they stand for."""
    if isinstance(value, CommentedMap):
        return {plain(k): plain(v) for k, v in value.items()}
    if isinstance(value, CommentedSeq):
        return [plain(v) for v in value]
    if isinstance(value, ScalarBoolean):
        return bool(value)
    if isinstance(value, ScalarFloat):
        return float(value)
    if isinstance(value, ScalarInt):
        return int(value)
    if isinstance(value, TimeStamp):
        return dt.datetime(value.year, value.month, value.day, value.hour, value.minute, value.second,
                           value.microsecond, value.tzinfo)
    if isinstance(value, TaggedScalar) and str(value.tag) == "tag:yaml.org,2002:str":
        return str(value.value)
    if isinstance(value, str):
        return str(value)
    return value


def read_by_all(raw: bytes) -> dict[str, Any]:
    """What each read path makes of ``raw``: its meaning, or that it refused the file."""
    results: dict[str, Any] = {}
    doc = load(raw)
    results["changeops"] = "refused" if doc.problem else meaning(doc.data)
    for name, loader in (("ruamel-rt", YAML(typ="rt")), ("ruamel-safe", YAML(typ="safe", pure=True))):
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", ReusedAnchorWarning)  # YAML 1.2 allows it; ruamel.yaml warns
                results[name] = meaning(plain(loader.load(raw)))
        except Exception:  # noqa: BLE001 - any refusal is an answer here
            results[name] = "refused"
    return results


DIALECT = {
    # YAML 1.1 booleans and octals are strings and decimals in 1.2
    "no-yes-on-off": "a: NO\nb: yes\nc: on\nd: Off\ne: y\nf: n\ng: Yes\n",
    "booleans": "a: true\nb: True\nc: TRUE\nd: false\ne: False\nf: FALSE\n",
    "leading-zero": "a: 022\nb: 08\nc: 00\nd: 040\n",
    "octal-0o": "a: 0o22\nb: 0o7\n",
    "hex": "a: 0x1F\nb: 0xff\n",
    "underscores": "a: 1_000\nb: 1_000.5\n",
    "exponent": "a: 1e3\nb: 1E3\nc: 1.5e-3\nd: +1.5E+3\ne: 1.0e+3\n",
    "floats": "a: .5\nb: 5.\nc: -0.0\nd: 0.0\ne: 17.12\nf: +12.5\n",
    "infinity": "a: .inf\nb: -.INF\nc: +.inf\nd: .Inf\n",
    "nan": "a: .nan\nb: .NaN\nc: .NAN\n",
    "null-forms": "a: ~\nb: null\nc: Null\nd: NULL\ne:\nf: nULL\n",
    "empty-values": "a:\nb: ''\nc: \"\"\nd: []\ne: {}\n",
    "big-and-signed-ints": "a: 12345678901234567890123\nb: -0\nc: +0\nd: -17\n",
    "sexagesimal": "a: 1:30\nb: 190:20:30\n",
    "versions-and-addresses": "a: 17.09.04a\nb: 1.2.3\nc: 10.20.1.1\nd: 0.0.0.0\n",
    "timestamp-offset": "a: 2026-12-08T00:30:00+08:00\nb: 2026-12-08T00:30:00-05:30\n",
    "timestamp-space-offset": "a: 2026-12-08 00:30:00 +08:00\n",
    "timestamp-z": "a: 2026-12-08T00:30:00Z\nb: 2026-12-08 00:30:00.1 Z\n",
    "timestamp-naive": "a: 2026-12-08T00:30:00\nb: 2026-12-08 1:02:03\n",
    "timestamp-fraction": "a: 2026-12-08T00:30:00.123456789+08:00\nb: 2026-12-08t00:30:00.5-05:30\n",
    "timestamp-short-offset": "a: 2026-12-08T00:30:00+8\nb: 2026-12-08T00:30:00 +08\n",
    "date": "a: 2026-12-08\nb: 0001-01-01\n",
    "not-dates": "a: 2026-1-8\nb: 26-12-08\nc: 2026-12-08T00:30\nd: 20261208\n",
    "quoted-scalars-stay-strings": "a: '022'\nb: \"yes\"\nc: 'null'\nd: \"2026-12-08\"\ne: '1e3'\nf: \".inf\"\n",
    "single-quote-escape": "a: 'it''s'\nb: '#not a comment'\n",
    "double-quote-escapes": "a: \"\\u4e2d \\x41 \\U0001F600 \\t \\\\ \\\" \\/ \\_ \\N \\L \\P \\e \\0\"\n",
    "comments": "# head\na: b # trailing\nc: d#not\n# tail\n",
    "literal-block": "a: |\n  one\n   two\n\n  three\nb: 1\n",
    "folded-block": "a: >\n  folded\n  text\n\n    more indented\n  back\n\n\nb: 1\n",
    "strip-and-keep": "a: |-\n  strip\n\nb: >+\n  keep\n\n\nc: |\n  clip\n\n",
    "indentation-indicator": "a: |2\n    two extra\n  base\nb: >2-\n   x\n",
    "block-leading-blank": "a: |-\n\n  leading blank\nb: >\n\n  folded leading\n",
    "anchors-and-aliases": "a: &x 1\nb: *x\nc: &y [1, {k: v}]\nd: *y\n",
    "unicode": "a: é\nb: \U0001F600\nc: Grüße\nd: ​zero-width\n",
    "chinese": "标题: 沈阳一号数据中心核心路由器补丁\n说明: '中文：全角冒号，不是键'\n键: 值 含空格\n",
    "flow-collections": "a: [b, [c, {d: [e]}]]\nb: {c: d, e: [f, g]}\nc: [b, c,]\n",
    "flow-implicit-pairs": "a: {x, y: z}\nb: [k: v, w]\n",
    "flow-multiline": "a: [\n  b,\n  c\n]\nd: {\n e: f\n }\n",
    "multi-line-plain": "a: plain\n  multi line\n\n  with blank\nb: x\n  # not a comment\n",
    "multi-line-quoted": "a: \"double\n  quoted   \n\n  folded\\\n  escaped\"\nb: 'single\n\n  folded'\n",
    "explicit-keys": "? a\n: b\n? c\n? |\n  block key\n: v\n",
    "integer-and-other-keys": "1: a\n2.5: b\n~: c\n2026-12-08: d\nfalse: e\n",
    "sequences": "- a\n-\n- - b\n  - c\n- k: v\n  l: w\n",
    "indentless-sequence": "a:\n- b\n- c\nd: e\n",
    "crlf": "a: b\r\nc: |\r\n  x\r\n  y\r\n",
    "tabs-inside-quotes-and-blocks": "a: 'x\ty'\nb: \"x\ty\"\nc: |\n  x\ty\nd: [b,\tc]\n",
    "document-markers": "---\na: 1\n...\n",
    "document-scalar": "--- >-\n  x\n  y\n",
    "quoted-merge-key": "'<<': a\n",
    "special-plain-characters": "a: -b\nb: x:y\nc: ?c\nd: a#b\ne: 50%\nf: '@at'\n",
    "strings-with-colons-and-urls": "a: http://example.com:8080/x?y=1\nb: 'key: value'\nc: x - y\n",
}

# Files where libyaml alone would read differently from ruamel.yaml (tabs as separators, the
# Unicode line breaks NEL/LS/PS): the loader composes these with ruamel.yaml, so every path
# agrees, refusal included.
AGREED_BY_COMPOSING_WITH_RUAMEL = {
    "tab-after-colon": "a:\t1\n",
    "trailing-tab": "a: 1\t\nb: 2\n",
    "tab-before-comment": "a: b\t# c\n",
    "tab-in-plain-scalar": "a: x\ty\n",
    "line-separator-in-plain-scalar": "a: x\u2028y\n",
    "line-separator-as-line-break": "a: x\n\u2028b: y\n",
    "line-separator-in-literal": "a: |\n  x\n\u2028  y\n",
    "next-line-in-literal": "a: |\n  x\n\u0085  y\n",
    "explicit-str-tag": "a: !!str 022\n",
}

# Files libyaml would read to another value, or refuse, where ruamel.yaml reads them: composed
# with ruamel.yaml, read, and meaning what ruamel.yaml says.
READ_AS_RUAMEL_READS = {
    "colon-in-anchor-name": "key: &an:chor value\nother: *an:chor\n",
    "anchor-ending-in-colon": "a: &x: 1\nb: *x:\n",
    "non-ascii-anchor-name": "a: &é 1\nb: *é\nc: &标 [x]\nd: *标\n",
    "punctuation-in-anchor-name": "a: &a.b 1\nb: &c?d 2\nc: [*a.b, *c?d]\n",
    "anchor-defined-again": "a: &x 1\nb: &x 2\nc: *x\n",
    "non-specific-tag": "a: ! \nb: ! 1\n! : c\n",
    "root-block-scalar-with-hash-lines": "|\n# text, not a comment\n  indented\n",
    "root-folded-scalar-with-hash-lines": "--- >\n# text\nmore\n",
}

# Files ruamel.yaml reads but the dialect refuses on purpose: a file that is refused has no
# second meaning, and nothing writes it back.
REFUSED_ON_PURPOSE = {
    "bom-then-yaml-directive": "\ufeff%YAML 1.1\n---\na: yes\nb: 022\n",
    "yaml-1.1-directive": "%YAML 1.1\n---\na: yes\n",
    "equals-sign-key": "=: a\n",
    "merge-key": "a: &a {x: 1}\nb:\n  <<: *a\n",
    "set-tag": "a: !!set {x}\n",
}


def test_the_dialect_corpus_is_large_enough() -> None:
    assert len(DIALECT) >= 40


@pytest.mark.parametrize("text", list(DIALECT.values()), ids=list(DIALECT))
def test_every_read_path_gives_a_file_the_same_meaning(text: str) -> None:
    results = read_by_all(text.encode())

    assert results["changeops"] != "refused", results
    assert results["changeops"] == results["ruamel-rt"] == results["ruamel-safe"], results


@pytest.mark.parametrize("text", list(AGREED_BY_COMPOSING_WITH_RUAMEL.values()),
                         ids=list(AGREED_BY_COMPOSING_WITH_RUAMEL))
def test_files_libyaml_reads_differently_mean_the_same_on_every_path(text: str) -> None:
    results = read_by_all(text.encode())

    assert results["changeops"] == results["ruamel-rt"] == results["ruamel-safe"], results


@pytest.mark.parametrize("text", list(READ_AS_RUAMEL_READS.values()), ids=list(READ_AS_RUAMEL_READS))
def test_files_libyaml_misreads_are_read_as_ruamel_yaml_reads_them(text: str) -> None:
    results = read_by_all(text.encode())

    assert results["changeops"] != "refused", results
    assert results["changeops"] == results["ruamel-rt"] == results["ruamel-safe"], results


@pytest.mark.parametrize("raw, where", [
    (b"a: x\xc2\x85\x1fy\n", (1, 6)),
    (b"a: 1\nb: 'x\ty'\nc: \x07\n", (3, 4)),
    (b"a: 1\rb: &\xc3\xa9 \x07\r", (2, 7)),
], ids=["nel", "tab", "cr-only-odd-anchor"])
def test_a_control_character_is_located_on_the_ruamel_yaml_path_too(raw: bytes, where: tuple[int, int]) -> None:
    assert problem(raw) == ("file-encoding", *where)


@pytest.mark.parametrize("text", list(REFUSED_ON_PURPOSE.values()), ids=list(REFUSED_ON_PURPOSE))
def test_files_outside_the_dialect_are_refused(text: str) -> None:
    assert read_by_all(text.encode())["changeops"] == "refused"


@pytest.mark.parametrize("record", sorted(REPO.glob("changes/*/change.yaml")), ids=lambda p: p.parent.name)
def test_demo_records_mean_the_same_on_every_read_path(record: Path) -> None:
    results = read_by_all(record.read_bytes())

    assert results["changeops"] != "refused"
    assert results["changeops"] == results["ruamel-rt"] == results["ruamel-safe"]


def test_yaml11_traps_are_read_the_yaml12_way() -> None:
    assert data(b"rack: NO\nunit: 040\nlabel: on\nmode: 0o22\nv: 17.12\n") == {
        "rack": "NO", "unit": 40, "label": "on", "mode": 18, "v": 17.12}
