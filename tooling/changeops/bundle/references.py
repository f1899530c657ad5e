"""What a playbook, task or vars file refers to, read off its YAML nodes with the line each is written on."""

from __future__ import annotations

import shlex
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import yaml

from changeops.bundle.lookups import FileRead, Unknowable, classify_lookup, jinja_uses, plugin_name
from changeops.yaml12 import load
from changeops.yaml12.compose import compose, decode
from changeops.yaml12.problems import Abort, Problem
from changeops.yaml12.scalars import STR

PLAYBOOK_KEYS = frozenset({"import_playbook"})
TASKS_KEYS = frozenset({"include_tasks", "import_tasks", "include"})
ROLE_KEYS = frozenset({"include_role", "import_role"})
# module -> the folder Ansible searches for its controller-side ``src``
SRC_MODULES = {"template": "templates", "copy": "files", "script": "files", "unarchive": "files",
               "assemble": "files", "win_template": "templates", "win_copy": "files"}
REMOTE_SRC_DEFAULT = {"assemble": True}
CONDITION_KEYS = frozenset({"when", "failed_when", "changed_when", "until", "that"})


@dataclass(frozen=True)
class Reference:
    """A file or role some YAML names: kind, candidates (first found wins), where it is written."""

    kind: str  # playbook | tasks | vars | role | files | templates
    names: tuple[str, ...]
    what: str
    line: int
    column: int
    is_template: bool = False


@dataclass(frozen=True)
class Refused:
    """A reference that cannot be resolved before the run."""

    what: str
    message: str
    line: int
    column: int


Found = Reference | Refused


def parse_nodes(raw: bytes) -> tuple[Any, Problem | None]:
    """The YAML node tree of ``raw`` (tags kept as written: ``!vault``, ``!unsafe``), or why it cannot be read."""
    doc = load(raw)
    if doc.problem is None:
        return doc.root, None
    if doc.problem.rule not in ("yaml-tag", "yaml-merge-key"):
        return None, doc.problem
    try:  # Ansible's own tags and merge keys: the structure is still plain YAML
        return compose(decode(raw)), None
    except Abort as stop:
        return None, stop.problem


@lru_cache(maxsize=1024)
def file_references(raw: bytes) -> tuple[tuple[Found, ...], Problem | None]:
    """What the YAML file ``raw`` refers to, or why it cannot be read.

    Remembered by the file's exact bytes: a site build resolves the plan of every change awaiting approval,
    and thousands of them share the same few playbooks. Bytes in, immutable values out, so a remembered
    answer is the answer for that content and no other.
    """
    root, problem = parse_nodes(raw)
    return (() if problem is not None else tuple(references(root))), problem


def references(root: Any) -> list[Found]:
    """Every include, role, vars file, controller-side ``src`` and file-reading Jinja under ``root``."""
    return list(_walk(root, condition=False))


def _walk(node: Any, *, condition: bool) -> Iterator[Found]:
    if isinstance(node, yaml.ScalarNode):
        if node.tag == STR:
            yield from _jinja(node, expression=condition)
    elif isinstance(node, yaml.SequenceNode):
        for item in node.value:
            yield from _walk(item, condition=condition)
    elif isinstance(node, yaml.MappingNode):
        for key_node, value in node.value:
            key = plugin_name(key_node.value) if isinstance(key_node, yaml.ScalarNode) else ""
            yield from _keyword(key, value)
            yield from _walk(value, condition=key in CONDITION_KEYS)


def _keyword(key: str, value: Any) -> Iterator[Found]:
    if key in PLAYBOOK_KEYS:
        yield from _named_file("playbook", key, value)
    elif key in TASKS_KEYS:
        yield from _named_file("tasks", key, value)
    elif key == "include_vars":
        yield from _include_vars(value)
    elif key in ROLE_KEYS:
        yield from _role_task(key, value)
    elif key in ("roles", "dependencies") and isinstance(value, yaml.SequenceNode):
        for item in value.value:
            yield from _role_entry(key, item)
    elif key == "vars_files" and isinstance(value, yaml.SequenceNode):
        for item in value.value:
            yield from _vars_file(item)
    elif key in SRC_MODULES or key.endswith("_config"):
        yield from _module_src(key, value)
    elif key.startswith("with_"):
        yield from _with_lookup(key, value)


def _at(node: Any) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1


def _text(node: Any) -> str | None:
    return node.value if isinstance(node, yaml.ScalarNode) and node.tag == STR else None


def _arg(value: Any, *names: str) -> Any:
    """The node of the first of ``names`` in a mapping of module arguments."""
    if isinstance(value, yaml.MappingNode):
        for key_node, child in value.value:
            if isinstance(key_node, yaml.ScalarNode) and key_node.value in names:
                return child
    return None


def _free_form(text: str) -> dict[str, str]:
    """``k=v`` arguments of a free-form module string (``_raw_params`` for the rest)."""
    try:
        words = shlex.split(text)
    except ValueError:
        words = text.split()
    args: dict[str, str] = {}
    for word in words:
        name, sep, val = word.partition("=")
        if sep and name.isidentifier():
            args[name] = val
        else:
            args.setdefault("_raw_params", word)
    return args


def _reference(kind: str, node: Any, what: str, *, is_template: bool = False) -> Found:
    line, column = _at(node)
    text = _text(node)
    if text is None:
        return Refused(what, f"{what} does not name a file", line, column)
    if "{{" in text or "{%" in text:
        return Refused(what, f"{what} `{text}` is computed at run time", line, column)
    return Reference(kind, (text,), what, line, column, is_template)


def _named_file(kind: str, key: str, value: Any) -> Iterator[Found]:
    node = _arg(value, "file", "_raw_params") if isinstance(value, yaml.MappingNode) else value
    name = _text(node) or ""
    if kind == "playbook" and name.count(".") >= 2 and "/" not in name and not name.endswith((".yml", ".yaml")):
        return  # a collection's playbook (namespace.collection.name): from the installed collections
    if node is None:
        line, column = _at(value)
        yield Refused(key, f"{key} names no file", line, column)
        return
    text = _text(node)
    if text is not None and kind == "tasks" and not isinstance(value, yaml.MappingNode):
        text = _free_form(text).get("_raw_params", text) if "=" in text else text
        node = yaml.ScalarNode(STR, text, node.start_mark, node.end_mark)
    yield _reference(kind, node, key)


def _include_vars(value: Any) -> Iterator[Found]:
    if _arg(value, "dir") is not None:
        line, column = _at(value)
        yield Refused("include_vars", "include_vars with `dir:` loads whatever the folder holds at run time",
                      line, column)
        return
    yield from _named_file("vars", "include_vars", value)


def _role_task(key: str, value: Any) -> Iterator[Found]:
    node = _arg(value, "name", "role")
    if node is None and isinstance(value, yaml.ScalarNode):
        name = _free_form(value.value).get("name")
        node = yaml.ScalarNode(STR, name, value.start_mark, value.end_mark) if name else None
    if node is None:
        line, column = _at(value)
        yield Refused(key, f"{key} names no role", line, column)
        return
    yield _reference("role", node, key)


def _role_entry(key: str, item: Any) -> Iterator[Found]:
    node = _arg(item, "role", "name") if isinstance(item, yaml.MappingNode) else item
    if node is not None:
        yield _reference("role", node, key)


def _vars_file(item: Any) -> Iterator[Found]:
    if isinstance(item, yaml.SequenceNode):  # a list of candidates: the first that exists is loaded
        found = [_reference("vars", child, "vars_files") for child in item.value]
        refused = [f for f in found if isinstance(f, Refused)]
        if refused:
            yield refused[0]
        elif found:
            line, column = _at(item)
            names = tuple(n for f in found if isinstance(f, Reference) for n in f.names)
            yield Reference("vars", names, "vars_files", line, column)
    else:
        yield _reference("vars", item, "vars_files")


def _module_src(key: str, value: Any) -> Iterator[Found]:
    short = key.rsplit(".", 1)[-1]
    folder = SRC_MODULES.get(short, "templates")  # network *_config modules template their src
    node, remote = _src_argument(short, value)
    if node is None:
        return
    if str(remote).lower() in ("true", "yes", "1") or (not remote and REMOTE_SRC_DEFAULT.get(short, False)):
        return  # the file is on the managed host, not the controller
    yield _reference(folder, node, f"{short} src", is_template=folder == "templates")


def _src_argument(short: str, value: Any) -> tuple[Any, str]:
    """The node naming a module's controller-side source file (or None), and its ``remote_src`` as written."""
    if _text(value) is not None:
        free = _free_form(value.value)
        name = free.get("src") or (free.get("_raw_params") if short == "script" else None)
        return (yaml.ScalarNode(STR, name, value.start_mark, value.end_mark) if name else None,
                free.get("remote_src", ""))
    node = _arg(value, "src")
    command = _text(_arg(value, "cmd", "_raw_params")) if short == "script" else None
    if node is None and command:  # script: {cmd: check.sh --fast}
        words = _free_form(command)
        node = yaml.ScalarNode(STR, words.get("_raw_params", command), value.start_mark, value.end_mark)
    remote_node = _arg(value, "remote_src")
    return node, remote_node.value if isinstance(remote_node, yaml.ScalarNode) else ""


def _with_lookup(key: str, value: Any) -> Iterator[Found]:
    name = key[len("with_"):]
    items = value.value if isinstance(value, yaml.SequenceNode) else [value]
    terms = [t if t is not None and "{{" not in t else None for t in (_text(item) for item in items)]
    line, column = _at(value)
    for use in classify_lookup(name, terms, {}, line, key):
        yield _from_use(use, column)


def _jinja(node: Any, *, expression: bool) -> Iterator[Found]:
    line, column = _at(node)
    # a block scalar starts on the line after its indicator
    first = line + 1 if node.style in ("|", ">") else line
    for use in jinja_uses(node.value, expression=expression, first_line=first):
        yield _from_use(use, column)


def _from_use(use: FileRead | Unknowable, column: int) -> Found:
    if isinstance(use, Unknowable):
        return Refused(use.what, use.message, use.line, column)
    return Reference(use.folder, use.names, use.what, use.line, column, use.is_template)
