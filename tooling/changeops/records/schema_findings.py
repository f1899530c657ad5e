"""Turn pydantic's ValidationError into findings that name the line, the field and the fix."""

from __future__ import annotations

import difflib
import typing
from collections.abc import Iterator
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from changeops.findings import Finding, Severity
from changeops.records.model import CHANGE_TYPES
from changeops.yaml12 import Document, load

M = TypeVar("M", bound=BaseModel)

EXAMPLE_TIME = "2026-12-08T00:30:00+08:00"

# error type -> (rule, hint); the hint may use {field} and {expected}.
_BY_TYPE: dict[str, tuple[str, str]] = {
    "missing": ("schema-missing", "add `{field}:` here; `changeops new` writes a record with every required section"),
    "extra_forbidden": ("schema-unknown-field", "remove `{field}` or correct its spelling"),
    "naive_time": ("naive-time", f"write the offset, e.g. {EXAMPLE_TIME}, or give the window a `zone:`"),
    "window_order": ("window-order", "the window's `end` must be after its `start`"),
    "change_id": ("change-id", "IDs are CHG-YYYYMMDD-<slug>: the window's start date and a short lowercase slug"),
    "time_zone": ("schema-invalid", "use an IANA zone name such as Asia/Shanghai or Europe/Berlin"),
    "literal_error": ("schema-invalid", "use one of: {expected}"),
    "datetime_type": ("schema-invalid", f"write a date and time with offset, e.g. {EXAMPLE_TIME}"),
    "datetime_parsing": ("schema-invalid", f"write a date and time with offset, e.g. {EXAMPLE_TIME}"),
    "datetime_from_date_parsing": ("schema-invalid", f"write a date and time with offset, e.g. {EXAMPLE_TIME}"),
    "date_type": ("schema-invalid", "write a date as YYYY-MM-DD"),
    "date_from_datetime_parsing": ("schema-invalid", "write a date as YYYY-MM-DD"),
    "string_pattern_mismatch": ("schema-invalid", "checksums are md5:<32 hex>, sha256:<64 hex> or sha512:<128 hex>"),
    "too_short": ("schema-invalid", "add at least one entry"),
    "string_too_short": ("schema-invalid", "write a value; empty text is not allowed"),
    "int_parsing": ("schema-invalid", "write a whole number"),
    "int_type": ("schema-invalid", "write a whole number"),
    "string_type": ("schema-invalid", "write text (quote it if YAML reads it as a number, date or boolean)"),
    "model_type": ("schema-invalid", "write a mapping of fields here"),
    "dict_type": ("schema-invalid", "write a mapping here"),
    "list_type": ("schema-invalid", "write a list here ('- item' per line)"),
    "text_empty": ("schema-invalid", "give `zh:` and/or `en:`"),
    "var_name": ("record-vars", "name variables with lowercase letters, digits and _"),
    "var_reserved": ("record-vars", "connection and privilege settings belong to the reviewed inventory; rename "
                                    "the variable, or move the setting to inventory/group_vars"),
    "phone": ("duty-phone", "write a Chinese mobile (139 1234 5678), a landline with its area code (024-2345 6789) "
                            "or an international number starting with + (+49 30 1234567)"),
    "duty_pair": ("duty-pair", "name another engineer as the backup"),
    "duty_nobody": ("duty-nobody", "add `on_site: [<person id>]` and/or `remote: [<person id>]`"),
    "sla_bands": ("schema-invalid", "list the bands nearest first (100, 300, 500 km), each beyond `city_km`"),
    "target_pattern": ("target-pattern", "name inventory hosts or groups one by one; `all` and patterns "
                                         "(!x, ~re, &, :, *) are not allowed"),
}
_TEXT_UNION_TYPES = {"string_type", "model_type", "dict_type"}


def schema_findings(error: ValidationError, doc: Document, file: str, model: type[BaseModel] | None) -> list[Finding]:
    """One finding per distinct problem; union noise collapsed onto the branch the input took."""
    seen: dict[tuple[Any, ...], Finding] = {}
    for item in _relevant(error, doc.data):
        path = item["path"]
        finding = _finding(item, path, doc, file, model)
        seen.setdefault((path, finding.rule, finding.message), finding)
    return list(seen.values())


def _relevant(error: ValidationError, data: Any) -> Iterator[dict[str, Any]]:
    items = []
    tag = data.get("type") if isinstance(data, dict) else None
    for raw in error.errors(include_url=False):
        loc = raw["loc"][1:] if tag is not None and raw["loc"][:1] == (tag,) else raw["loc"]
        path, value = _data_path(loc, data, raw["type"])
        items.append({**raw, "path": path, "value": value})
    bad_zones = {item["path"][:-1] for item in items if item["type"] == "time_zone"}
    for item in items:
        if item["type"] in _TEXT_UNION_TYPES and _another_branch_fits(item, items):
            continue
        if item["type"] == "naive_time" and item["path"][:-1] in bad_zones:
            continue  # the zone's own finding says what to fix
        yield item


def _another_branch_fits(item: dict[str, Any], items: list[dict[str, Any]]) -> bool:
    """For `str | Bilingual`, keep only the errors of the branch matching the input's shape."""
    others = [o for o in items if o is not item and o["path"][: len(item["path"])] == item["path"]]
    if not others:
        return False
    kind = str(item["type"])
    if isinstance(item["value"], dict):
        return kind == "string_type"
    return kind in ("model_type", "dict_type")


def _data_path(loc: tuple[Any, ...], data: Any, kind: str) -> tuple[tuple[Any, ...], Any]:
    """Keep the loc entries that index the data; drop union branch and tag labels pydantic adds."""
    path: list[Any] = []
    node = data
    for index, step in enumerate(loc):
        last = index == len(loc) - 1
        in_list = isinstance(node, list) and isinstance(step, int) and 0 <= step < len(node)
        if isinstance(node, dict) and step in node or in_list:
            path.append(step)
            node = node[step]
        elif last and kind in ("missing", "extra_forbidden"):
            path.append(step)
            node = None
    return tuple(path), node


def _finding(item: dict[str, Any], path: tuple[Any, ...], doc: Document, file: str,
             model: type[BaseModel] | None) -> Finding:
    kind = item["type"]
    field = ".".join(str(p) for p in path) or "(record)"
    name = str(path[-1]) if path else ""
    if kind in ("union_tag_not_found", "union_tag_invalid"):
        return _type_finding(doc, file)
    rule, template = _BY_TYPE.get(kind, ("schema-invalid", "correct the value"))
    expected = (item.get("ctx") or {}).get("expected", "")
    # only our own templates are formatted: a field name from the file may hold braces
    hint = template.format(field=name, expected=expected)
    if kind == "missing":
        message = f"`{field}` is missing"
        line, column = doc.locate(path[:-1])
    elif kind == "extra_forbidden":
        message = f"unknown field `{field}`"
        hint = _unknown_field_hint(name, path[:-1], model)
        line, column = doc.locate(path, key=True)
    else:
        message = f"`{field}`: {item['msg']}"
        line, column = doc.locate(path)
    return Finding(file, line, column, rule, Severity.ERROR, message, hint)


def _type_finding(doc: Document, file: str) -> Finding:
    line, column = doc.locate(("type",))
    given = doc.data.get("type") if isinstance(doc.data, dict) else None
    message = "`type` is missing" if given is None else f"`type: {given}` is not a change type"
    return Finding(file, line, column, "schema-type", Severity.ERROR, message,
                   "set `type:` to one of: " + ", ".join(CHANGE_TYPES))


def _unknown_field_hint(name: str, parent: tuple[Any, ...], model: type[BaseModel] | None) -> str:
    allowed = _fields_at(model, parent) if model is not None else []
    if not allowed:
        return f"remove `{name}` or correct its spelling"
    close = difflib.get_close_matches(name, allowed, n=1)
    if close:
        return f"did you mean `{close[0]}`? (fields allowed here: {', '.join(allowed)})"
    return f"remove `{name}`; fields allowed here: {', '.join(allowed)}"


def _fields_at(model: type[BaseModel], path: tuple[Any, ...]) -> list[str]:
    """The field names (as written in YAML) of the model found at ``path`` under ``model``."""
    current: Any = model
    for step in path:
        if isinstance(step, int):
            continue
        fields = {(f.alias or n): f for n, f in current.model_fields.items()}
        if step not in fields:
            return []
        current = _model_in(fields[step].annotation)
        if current is None:
            return []
    return [(f.alias or n) for n, f in current.model_fields.items()]


def _model_in(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in typing.get_args(annotation):
        found = _model_in(arg)
        if found is not None:
            return found
    return None


def read_checked(path: Path, file: str, model: type[M]) -> tuple[M | None, Document, list[Finding]]:
    """A file engineers write beside the records (a fault report, a drill report, a period's report) read as
    ``model``: the value and its document, or None and the findings that say where and how to fix it."""
    doc = load(path.read_bytes())
    if doc.problem is not None:
        p = doc.problem
        return None, doc, [Finding(file, p.line, p.column, p.rule, Severity.ERROR, p.message, p.hint)]
    try:
        return model.model_validate(doc.data), doc, []
    except ValidationError as err:
        return None, doc, schema_findings(err, doc, file, model)


def read_model(path: Path, model: type[M]) -> tuple[M | None, str]:
    """The same file for a reader that only shows it: the value, or None and the first problem in words."""
    value, _, findings = read_checked(path, path.name, model)
    return value, findings[0].message if findings else ""
