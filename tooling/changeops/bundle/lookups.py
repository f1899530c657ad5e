"""Which files a piece of Jinja reads: lookups, queries, ``with_<lookup>`` loops and template includes.

A lookup either reads a file of the repository (resolved and sealed into the bundle), reads
no repository file at all (allowed: the playbooks are reviewed code), or is one whose reads
cannot be known before it runs (refused).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import jinja2
from jinja2 import nodes

# lookup -> the folder Ansible searches for its file (and whether the file is itself a template)
FILE_LOOKUPS: dict[str, tuple[str, bool]] = {
    "file": ("files", False), "unvault": ("files", False), "template": ("templates", True),
    "first_found": ("files", False), "ini": ("files", False), "csvfile": ("files", False),
}
DEFAULT_DATA_FILE = {"ini": "ansible.ini", "csvfile": "ansible.csv"}
# Lookups that read no file of the repository (pipe, env and lines run or read only what the reviewed
# playbook says; the rest transform data).
DATA_LOOKUPS = frozenset({
    "env", "pipe", "lines", "vars", "varnames", "items", "list", "dict", "indexed_items", "nested", "together",
    "sequence", "subelements", "random_choice", "inventory_hostnames", "config", "url", "cartesian", "flattened",
})
# Inventory is data: it may read the environment and other variables, never run a command or read a file.
INVENTORY_LOOKUPS = DATA_LOOKUPS - {"pipe", "lines", "url", "config"}
_BUILTIN = ("ansible.builtin.", "ansible.legacy.")
_LOOKUP_CALLS = frozenset({"lookup", "query", "q"})
_FALLBACK = re.compile(r"\b(?:lookup|query|q)\(\s*(['\"]?)([\w.]*)\1")
_ENV = jinja2.Environment(extensions=["jinja2.ext.do", "jinja2.ext.loopcontrols"])


@dataclass(frozen=True)
class FileRead:
    """A file some Jinja reads: candidate names (the first found wins), the folder searched, where it is written."""

    what: str
    folder: str
    names: tuple[str, ...]
    line: int
    is_template: bool = False


@dataclass(frozen=True)
class Unknowable:
    """A read that cannot be resolved before the run, and where it is written."""

    what: str
    message: str
    line: int


Use = FileRead | Unknowable


def plugin_name(name: str) -> str:
    """The short name of a builtin lookup (``ansible.builtin.file`` -> ``file``); others stay qualified."""
    for prefix in _BUILTIN:
        if name.startswith(prefix):
            return name[len(prefix):]
    return name


def classify_lookup(name: str, terms: list[str | None], options: dict[str, str | None], line: int,
                    what: str, allowed: frozenset[str] = DATA_LOOKUPS) -> list[Use]:
    """What lookup ``name`` with literal ``terms`` (None where a term is an expression) reads.

    Lookups in ``allowed`` read no repository file and are left alone.
    """
    short = plugin_name(name)
    if short in allowed:
        return []
    if short not in FILE_LOOKUPS:
        message = (f"{what} uses the `{name}` lookup, whose reads changeops cannot resolve"
                   if short != "fileglob" else f"{what} matches files by pattern at run time")
        return [Unknowable(what, message, line)]
    folder, is_template = FILE_LOOKUPS[short]
    if short in DEFAULT_DATA_FILE:
        return _data_file(short, terms, options, line, what)
    if any(term is None for term in terms) or not terms:
        return [Unknowable(what, f"{what} reads a file whose name is computed at run time", line)]
    literal = [term for term in terms if term is not None]
    if short == "first_found":
        return [FileRead(what, folder, tuple(literal), line)]
    return [FileRead(what, folder, (term,), line, is_template) for term in literal]


def _data_file(short: str, terms: list[str | None], options: dict[str, str | None], line: int,
               what: str) -> list[Use]:
    """ini and csvfile read the file named by ``file=`` (an option, or inside the term), else a default."""
    names: set[str | None] = set()
    if "file" in options:
        names.add(options["file"])
    for term in terms:
        if term is None:
            names.add(None)
            continue
        named = re.search(r"(?:^|\s)file=(\S+)", term)
        names.add(named.group(1).strip("'\"") if named else None if "{{" in term else DEFAULT_DATA_FILE[short])
    if "file" in options:
        names.discard(DEFAULT_DATA_FILE[short])
    if None in names:
        return [Unknowable(what, f"{what} reads a file whose name is computed at run time", line)]
    return [FileRead(what, "files", (name,), line) for name in sorted(n for n in names if n is not None)]


def jinja_uses(text: str, *, expression: bool = False, first_line: int = 1,
               allowed: frozenset[str] = DATA_LOOKUPS) -> list[Use]:
    """Every file read by the Jinja in ``text`` (a template, or with ``expression`` a bare condition)."""
    if not expression and "{{" not in text and "{%" not in text:
        return []
    if expression and not _FALLBACK.search(text):
        return []
    source = "{{ " + text + " }}" if expression else text
    try:
        tree = _ENV.parse(source)
    except (jinja2.TemplateError, RecursionError):  # not Jinja that parses, or nested past the parser's reach
        return _fallback(text, first_line, allowed)
    uses: list[Use] = []
    for call in tree.find_all(nodes.Call):
        if isinstance(call.node, nodes.Name) and call.node.name in _LOOKUP_CALLS:
            uses += _call_uses(call, first_line + call.lineno - 1, allowed)
    for node in tree.find_all((nodes.Include, nodes.Import, nodes.FromImport, nodes.Extends)):
        uses.append(_include_use(node, first_line + node.lineno - 1))
    return uses


def _call_uses(call: nodes.Call, line: int, allowed: frozenset[str]) -> list[Use]:
    what = f"{call.node.name}()" if isinstance(call.node, nodes.Name) else "lookup()"
    if not call.args or not isinstance(call.args[0], nodes.Const) or not isinstance(call.args[0].value, str):
        return [Unknowable(what, f"{what} names its lookup plugin at run time", line)]
    name = call.args[0].value
    what = f"{call.node.name}('{name}')"  # type: ignore[attr-defined]
    terms: list[str | None] = []
    for arg in call.args[1:]:
        terms += _literal_strings(arg)
    options = {kw.key: _const_string(kw.value) for kw in call.kwargs}
    return classify_lookup(name, terms, options, line, what, allowed)


def _literal_strings(node: nodes.Node) -> list[str | None]:
    if isinstance(node, (nodes.List, nodes.Tuple)):
        return [item for child in node.items for item in _literal_strings(child)]
    return [_const_string(node)]


def _const_string(node: nodes.Node) -> str | None:
    return node.value if isinstance(node, nodes.Const) and isinstance(node.value, str) else None


def _include_use(node: nodes.Node, line: int) -> Use:
    keyword = type(node).__name__.lower().replace("fromimport", "from").replace("extends", "extends")
    what = f"{{% {keyword} %}}"
    name = _const_string(node.template)  # type: ignore[attr-defined]
    if name is None:
        return Unknowable(what, f"{what} names its template at run time", line)
    return FileRead(what, "templates", (name,), line, is_template=True)


def _fallback(text: str, first_line: int, allowed: frozenset[str]) -> list[Use]:
    """Jinja that does not parse: any lookup call in it is refused, since what it reads cannot be read off."""
    uses: list[Use] = []
    for match in _FALLBACK.finditer(text):
        line = first_line + text.count("\n", 0, match.start())
        name = plugin_name(match.group(2))
        if name not in allowed:
            uses.append(Unknowable("lookup()", f"a lookup in Jinja that does not parse (`{match.group(0)}`)", line))
    return uses
