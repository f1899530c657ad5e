"""Generated YAML against ruamel.yaml: the loader gives a document ruamel.yaml's meaning, or a finding.

Hypothesis builds documents (block and flow collections, plain, quoted and block scalars of the
YAML 1.2 core schema's tricky values, anchors and aliases with odd names, comments, unicode,
tabs, line breaks), renders them as text and reads them with ``changeops.yaml12.load`` and with
ruamel.yaml's safe loader. Never allowed: a value other than ruamel.yaml's, a value where
ruamel.yaml refuses the file, an exception out of the loader. The budget is fixed and the
examples derandomized, so a run in CI is the same run every time.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field
from typing import Any

from changeops.yaml12 import load
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ruamel.yaml import YAML
from ruamel.yaml.composer import ReusedAnchorWarning
from support.yaml_values import meaning


def budget(examples: int) -> settings:
    """A fixed number of derandomized examples: the same run every time, a few seconds in CI."""
    return settings(max_examples=examples, deadline=None, derandomize=True, database=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])



# Plain scalars whose type turns on a detail of the YAML 1.2 core schema (or of YAML 1.1, which
# the dialect is not), and values that are no date although they look like one.
TRICKY = [
    "022", "08", "00", "0o17", "0o8", "0x1F", "0xg", "-0", "+0", "+12", "1_000", "1__0", "0b101",
    "NO", "no", "No", "Yes", "yes", "on", "Off", "y", "n", "Y", "~", "null", "Null", "NULL", "nULL",
    "true", "True", "TRUE", "tRUE", "false", "False", ".inf", "-.Inf", "+.INF", ".inF", ".nan", ".NaN",
    ".NAN", "1e3", "1E3", "1.5e-3", "+1.5E+3", "1.0e+3", "1e", ".5", "5.", "-0.0", "17.12", "1:30",
    "190:20:30", "17.09.04a", "10.20.1.1", "0.0.0.0", "2026-12-08", "0001-01-01", "2026-1-8",
    "2026-12-08T00:30:00+08:00", "2026-12-08 00:30:00 +8", "2026-12-08t1:02:03.5Z",
    "2026-12-08T00:30:00.123456789-05:30", "2026-12-08T00:30:00", "2026-12-08 1:02:03",
    "2026-12-08T00:30", "20261208", "2026-11-31", "2026-02-29T00:00:00Z", "2026-12-08T00:30:00+24:00",
    "2026-12-08T25:00:00Z", "0000-01-01", "=", "<<", "-a", "x:y", "?c", "a#b", "50%", "@at", "`x",
    "é", "标题", "沈阳 一号", "😀", "a b", "x - y", "http://example.com:8080/x?y=1&z=2", "!x", "|", ">",
    "*x", "&x", "%x", "'", '"', "[", "{", "-", "?", ":", "#", ",", "- a", "a: b", "a :b",
]
# Anchor names libyaml and ruamel.yaml scan differently, and ordinary ones.
ANCHORS = ["a", "a1", "x-y", "under_score", "an:chor", "é", "标", "a.b", "1", "a?", "a%", "a@b", "a`", "x:"]
ESCAPES = ["\\t", "\\n", "\\u4e2d", "\\x41", "\\U0001F600", "\\\\", '\\"', "\\/", "\\_", "\\N", "\\L", "\\P",
           "\\e", "\\0", "\\ ", "\t", "\\x", "\\q"]
# Characters for free text: YAML's indicators, quotes and escapes, blanks, unicode (wide, astral,
# a BOM, line breaks libyaml and ruamel.yaml treat differently); and text that is safe.
RISKY = list("abc019 .-_:/#,[]{}&*!|>'\"%@`?=~\\\t") + ["é", "标", "😀", "\ufeff", "\x85", "\u2028"]
SAFE = list("abcxyzABC0189 ._-/") + ["é", "标", "😀"]
# The tricky values that are well-formed plain scalars in block and flow context.
PLAIN_TRICKY = [t for t in TRICKY if t[0] not in "@`!|>*&%'\"[]{},#=<:" and t not in ("-", "?", "- a")
                and ": " not in t and " #" not in t]


@dataclass(frozen=True)
class Profile:
    """What a generated document is made of: ``WILD`` mixes in what breaks YAML or is read
    differently by libyaml and ruamel.yaml (most such documents are refused by both); ``TAME``
    keeps to well-formed text, so that most documents are read and their values compared."""

    scalar: st.SearchStrategy[str]
    block_lines: st.SearchStrategy[list[str]]
    separator: st.SearchStrategy[str]
    flow_separator: st.SearchStrategy[str]
    flow_colon: st.SearchStrategy[str]
    trailing: st.SearchStrategy[str]
    line_break: st.SearchStrategy[str]
    tag: st.SearchStrategy[str]
    head: st.SearchStrategy[str]
    tail: st.SearchStrategy[str]


def quoted(plain: st.SearchStrategy[str], escapes: list[str]) -> st.SearchStrategy[str]:
    """Single-quoted (quotes doubled) and double-quoted (with ``escapes``) forms of ``plain`` text."""
    unescaped = plain.map(lambda s: s.replace("\\", "").replace('"', ""))
    parts = st.lists(st.one_of(unescaped, st.sampled_from(escapes)), max_size=4)
    return st.one_of(plain.map(lambda s: "'" + s.replace("'", "''") + "'"), parts.map(lambda p: '"' + "".join(p) + '"'))


def profile(plain: st.SearchStrategy[str], *, wild: bool) -> Profile:
    def extra(more: list[Any]) -> list[Any]:
        return more if wild else []

    tags = ["!!str ", "!!int ", "!!float ", "!!bool ", "!!null ", "!!timestamp "]  # on collections too: refused
    lines = st.one_of(st.just(""), plain.map(str.strip), st.just("  more indented"), *extra([st.just("\tx")]))
    return Profile(
        scalar=st.one_of(plain, plain, quoted(plain, ESCAPES if wild else ESCAPES[:-3])),
        block_lines=st.lists(lines, min_size=1, max_size=4),
        separator=st.sampled_from([" "] * 6 + extra(["  ", "\t", " \t"])),
        flow_separator=st.sampled_from([", "] * 4 + extra([",", " , ", ",\t"])),
        flow_colon=st.sampled_from([": "] * 4 + extra([":\t", " : ", ":"])),
        trailing=st.sampled_from([" # trailing", " #"] + extra(["\t# tab before a comment", "#not"])),
        line_break=st.sampled_from(["\n"] * 6 + ["\r\n"] + extra(["\r", "\x85", "\u2028"])),
        tag=st.sampled_from(tags + ["! ", "!"] if wild else [""]),
        head=st.sampled_from(["", "", "", "---\n", "# head\n"] + extra(["--- ", "%YAML 1.2\n---\n"])),
        tail=st.sampled_from(["", "", "\n# tail"] + extra(["\n...", "\n---\nb: 2"])),
    )


words = st.text(st.sampled_from(SAFE), min_size=1, max_size=10)
tricky = st.sampled_from(TRICKY)
plain_text = st.one_of(tricky, tricky, tricky, words, words, words, st.text(st.sampled_from(RISKY), max_size=8))
inline_scalar = st.one_of(plain_text, plain_text, quoted(plain_text, ESCAPES))
WILD = profile(plain_text, wild=True)
TAME = profile(st.one_of(st.sampled_from(PLAIN_TRICKY), words.map(str.strip).filter(bool)), wild=False)
# Strategies drawn over and over below, built once: building them per draw is most of the cost.
ONE_IN = {n: st.integers(0, n - 1) for n in (3, 5, 6, 7, 9, 13)}
ANCHOR = st.sampled_from(ANCHORS)
BLOCK_HEADER = st.sampled_from(["|", ">", "|-", ">-", "|+", ">+", "|2", ">1-"])
AFTER_KEY = st.sampled_from(["", "", " "])
ENTRIES = st.integers(1, 4)
KIND = {True: st.integers(0, 5), False: st.integers(0, 3)}
CHILD_INDENT = {True: st.sampled_from([2, 4]), False: st.sampled_from([0, 2, 3])}


@dataclass
class Writer:
    """Draws the parts of one document in one profile, remembering the anchors it defined."""

    draw: st.DrawFn
    p: Profile
    names: list[str] = field(default_factory=list)

    def one_in(self, n: int) -> bool:
        return self.draw(ONE_IN[n]) == 0

    def properties(self) -> str:
        """An optional anchor (remembered so later aliases can refer to it) and an optional tag."""
        text = ""
        if self.one_in(5):
            self.names.append(self.draw(ANCHOR))
            text += f"&{self.names[-1]} "
        return text + (self.draw(self.p.tag) if self.one_in(13) else "")

    def alias(self) -> str:
        return "*" + (self.names[self.draw(st.integers(0, len(self.names) - 1))] if self.names else self.draw(ANCHOR))

    def flow_node(self, depth: int) -> str:
        if depth > 2 or not self.one_in(3):
            return self.alias() if self.names and self.one_in(6) else self.properties() + self.draw(self.p.scalar)
        sep, count = self.draw(self.p.flow_separator), self.draw(ENTRIES) - 1
        if self.draw(st.booleans()):
            items = [self.flow_node(depth + 1) for _ in range(count)]
            return self.properties() + "[" + sep.join(items) + ("," if items and self.one_in(5) else "") + "]"
        pairs = [self.draw(self.p.scalar) + self.draw(self.p.flow_colon) + self.flow_node(depth + 1)
                 for _ in range(count)]
        return self.properties() + "{" + sep.join(pairs) + "}"

    def block_scalar(self, indent: int) -> list[str]:
        """A literal or folded scalar: its header and its lines, indented under ``indent``."""
        pad = " " * (indent + 2)
        return [self.draw(BLOCK_HEADER)] + [pad + line if line else "" for line in self.draw(self.p.block_lines)]

    def block_entry(self, lead: str, indent: int, depth: int) -> list[str]:
        """One entry of a block collection: ``lead`` (``- `` or ``key:``) and its value."""
        sequence = lead.endswith("- ")
        kind = self.draw(KIND[depth < 3])
        if kind <= 1:
            return [lead + ("" if sequence else self.draw(self.p.separator)) + self.flow_node(0)]
        if kind == 2:
            head, *body = self.block_scalar(indent)
            return [lead.rstrip() + " " + head, *body]
        if kind == 3:
            return [lead.rstrip() + " " + (self.alias() if self.names else "~")]
        child = indent + self.draw(CHILD_INDENT[sequence])
        inner = self.block_node(child, depth + 1)
        return [lead.rstrip() + " " + self.properties().rstrip(), " " * child + inner[0], *inner[1:]]

    def block_node(self, indent: int, depth: int) -> list[str]:
        """Lines of a block collection at ``indent`` (its first line without indentation of its own)."""
        pad, sequence, lines = " " * indent, self.draw(st.booleans()), []
        for index in range(self.draw(ENTRIES)):
            lead = "- " if sequence else self.draw(self.p.scalar) + ":" + self.draw(AFTER_KEY)
            lines += self.block_entry(("" if index == 0 else pad) + lead, indent, depth)
            if self.one_in(7):
                lines.append(pad + "# " + self.draw(words))
            if self.one_in(9):
                lines[-1] += self.draw(self.p.trailing)
        return lines


@st.composite
def document(draw: st.DrawFn, p: Profile) -> str:
    writer = Writer(draw, p)
    lines = [writer.flow_node(0)] if writer.one_in(6) else writer.block_node(0, 0)
    return (draw(p.head) + "\n".join(lines) + draw(p.tail) + "\n").replace("\n", draw(p.line_break))


def reference(raw: bytes) -> Any:
    """ruamel.yaml's safe loader's meaning of ``raw``, or that it refused it. A new loader for each
    file: one that failed while constructing a %YAML 1.2 document can refuse the next file."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ReusedAnchorWarning)  # YAML 1.2 allows it; ruamel.yaml warns
            return ("read", meaning(YAML(typ="safe", pure=True).load(raw)))
    except Exception as err:  # noqa: BLE001 - any refusal of the reference is an answer here
        return ("refused", type(err).__name__)


def agrees(raw: bytes) -> None:
    """The loader's value is ruamel.yaml's, or the loader reports a finding; it never raises."""
    doc = load(raw)
    if doc.problem is not None:
        assert doc.data is None and doc.problem.rule and doc.problem.hint
        assert doc.problem.line >= 1 and doc.problem.column >= 1
        return
    assert reference(raw) == ("read", meaning(doc.data)), raw


@budget(1_000)
@given(document(WILD))
def test_generated_documents_mean_what_ruamel_yaml_reads_or_are_refused(text: str) -> None:
    agrees(text.encode())


@budget(1_000)
@given(document(TAME))
def test_generated_well_formed_documents_mean_what_ruamel_yaml_reads(text: str) -> None:
    agrees(text.encode())


@budget(1_000)
@given(st.lists(st.tuples(plain_text, inline_scalar), min_size=1, max_size=8))
def test_generated_scalars_are_typed_as_ruamel_yaml_types_them(pairs: list[tuple[str, str]]) -> None:
    agrees("".join(f"{key}: {value}\n" for key, value in pairs).encode())
    agrees(("[" + ", ".join(value for _, value in pairs) + "]\n").encode())


@budget(800)
@given(st.lists(st.sampled_from(ANCHORS), min_size=1, max_size=4), st.lists(st.sampled_from(ANCHORS), max_size=4),
       st.sampled_from([" ", "\t", ""]), inline_scalar)
def test_generated_anchors_and_aliases_resolve_as_in_ruamel_yaml(
        anchors: list[str], aliases: list[str], gap: str, value: str) -> None:
    lines = [f"a{i}: &{name}{gap}{value}" for i, name in enumerate(anchors)]
    lines += [f"b{i}: *{name}" for i, name in enumerate(aliases)]
    lines += [f"c: [&{anchors[0]} x, *{anchors[-1]}]", f"d: {{&{anchors[-1]} k: v}}"]
    agrees(("\n".join(lines) + "\n").encode())
