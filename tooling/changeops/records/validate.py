"""Validate change records, runbooks and the inventory: every problem a finding with file, line and hint."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator

from pydantic import ValidationError

from changeops.errors import UsageError
from changeops.estate.inventory import inventory_sources, load_inventory
from changeops.estate.layout import RECORD_NAME, Estate
from changeops.estate.runbooks import read_runbook
from changeops.findings import Finding, Report, Severity, sorted_findings
from changeops.records import cache as result_cache
from changeops.records.cache import RecordResult
from changeops.records.model import (
    DrillChange, EmergencyChange, MoveChange, PatchChange, UpgradeChange, parse_change,
)
from changeops.records.placeholders import MARKER, placeholder_paths
from changeops.records.references import References, reference_issues
from changeops.records.rules import Issue, record_issues
from changeops.records.schema_findings import schema_findings
from changeops.yaml12 import Document, load

MODEL_OF_TYPE = {"patch": PatchChange, "upgrade": UpgradeChange, "drill": DrillChange, "device-move": MoveChange,
                 "emergency": EmergencyChange}


@dataclass(frozen=True)
class Selection:
    """Which parts of the estate a validate run reports on."""

    records: tuple[Path, ...]
    inventory: bool
    runbooks: tuple[Path, ...]


def select(estate: Estate, paths: Iterable[Path], records: list[Path]) -> Selection:
    """The records, runbooks and inventory under ``paths`` (the whole estate when there are none)."""
    chosen = [p.resolve() for p in paths] or [estate.root]
    for path in chosen:
        if not path.exists():
            raise UsageError(f"{path}: no such file or folder")

    def under(path: Path) -> bool:  # estate paths are already absolute and resolved
        return any(_within(path, c) for c in chosen)

    return Selection(
        records=tuple(p for p in records if under(p)),
        inventory=under(estate.inventory) or any(_within(p, estate.inventory) for p in chosen),
        runbooks=tuple(p for p in estate.runbook_files() if under(p)),
    )


def _within(path: Path, folder: Path) -> bool:
    return path == folder or path.is_relative_to(folder)


def validate(estate: Estate, paths: Iterable[Path] = (), *, use_cache: bool = True) -> Report:
    """Check what ``paths`` select; unchanged records are answered from the cache."""
    records = estate.record_files()
    selection = select(estate, paths, records)
    findings: list[Finding] = []
    refs: References | None = None

    def references() -> References:
        nonlocal refs
        if refs is None:
            refs = References(estate, load_inventory(estate))
        return refs

    folders = {p.parent.name for p in records}
    store = result_cache.open_cache(estate) if use_cache else None
    for path in selection.records:
        result = store.get(path) if store is not None else None
        if result is None:
            result = check_record(estate, path, references)
            if store is not None:
                store.put(path, result)
        findings += result.findings
        findings += _duplicate_id(estate, path, result, folders)
    if selection.inventory:
        findings += _context_findings(store, "inventory", lambda: references().inventory.findings)
    for runbook in selection.runbooks:
        findings += _context_findings(store, estate.relative(runbook), lambda: read_runbook(estate, runbook)[1])
    if store is not None:
        store.save()
    inventory_files = len(inventory_sources(estate)) if selection.inventory else 0
    checked = len(selection.records) + len(selection.runbooks) + inventory_files
    return Report(checked=checked, findings=sorted_findings(findings))


def _context_findings(store: result_cache.ResultCache | None, key: str,
                      compute: Callable[[], list[Finding]]) -> list[Finding]:
    """Findings of the inventory or a runbook: files that are part of the cache's fingerprint."""
    cached = store.get_context(key) if store is not None else None
    if cached is None:
        cached = compute()
        if store is not None:
            store.put_context(key, cached)
    return cached


def check_record(estate: Estate, path: Path, references: Callable[[], References]) -> RecordResult:
    """All findings of one record file that depend on it and the estate's context alone."""
    file = estate.relative(path)
    raw = path.read_bytes()
    doc = load(raw)
    if doc.problem is not None:
        p = doc.problem
        return RecordResult((Finding(file, p.line, p.column, p.rule, Severity.ERROR, p.message, p.hint),), None)
    if not isinstance(doc.data, dict):
        return RecordResult((Finding(
            file, 1, 1, "record-shape", Severity.ERROR, "a change record is a mapping of fields",
            "start with `id:`, `title:`, `type:` ...; `changeops new` writes a complete record"),), None)
    change_id = doc.data.get("id") if isinstance(doc.data.get("id"), str) else None
    id_at = doc.locate(("id",))
    placeholders = placeholder_paths(doc.data) if MARKER.encode() in raw else []
    findings = [_at(doc, file, issue) for issue in _placeholder_issues(placeholders)]
    try:
        change = parse_change(doc.data)
    except ValidationError as err:
        model = MODEL_OF_TYPE.get(doc.data.get("type"))
        findings += [f for f in schema_findings(err, doc, file, model) if not _covered(f, doc, placeholders)]
        return RecordResult(tuple(findings), change_id, id_at)
    issues = [*record_issues(change, path.parent.name), *reference_issues(change, references())]
    findings += [_at(doc, file, issue) for issue in issues if not _issue_covered(issue, placeholders)]
    return RecordResult(tuple(findings), change_id, id_at)


def _duplicate_id(estate: Estate, path: Path, result: RecordResult, folders: set[str]) -> list[Finding]:
    folder = path.parent.name
    if result.change_id is None or result.change_id == folder or result.change_id not in folders:
        return []
    return [Finding(estate.relative(path), *result.id_at, "id-duplicate", Severity.ERROR,
                    f"changes/{result.change_id}/ already holds a record with the ID {result.change_id}",
                    "IDs are unique: give this change its own ID and folder")]


def _placeholder_issues(paths: list[tuple[Any, ...]]) -> Iterator[Issue]:
    for path in paths:
        field = ".".join(str(p) for p in path)
        yield "placeholder", path, f"`{field}` is still a placeholder", "replace the TODO text with the real value"


def _covered(finding: Finding, doc: Document, placeholders: list[tuple[Any, ...]]) -> bool:
    return any(doc.locate(path) == (finding.line, finding.column) for path in placeholders)


def _issue_covered(issue: Issue, placeholders: list[tuple[Any, ...]]) -> bool:
    return any(issue[1][: len(p)] == p for p in placeholders)


def _at(doc: Document, file: str, issue: Issue) -> Finding:
    rule, path, message, hint = issue
    line, column = doc.locate(path)
    return Finding(file, line, column, rule, Severity.ERROR, message, hint)


def record_file_for(estate: Estate, change_id: str) -> Path:
    path = estate.changes / change_id / RECORD_NAME
    if not path.is_file():
        raise UsageError(f"no change {change_id} (looked for {estate.relative(path)})")
    return path
