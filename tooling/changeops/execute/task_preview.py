"""What a check-mode run (`changeops run --check`) previewed, task by task, read back from its events.

A playbook marks a step it cannot dry-run with ``when: not ansible_check_mode``; such a step is reported
as not previewable rather than silently skipped, so the engineer knows what the preview did not cover.
A marked step inside a block whose every task was skipped belongs to a branch the plan does not take
(another rollback action, say): it is reported as skipped.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path

from changeops.execute.events import EventKind, HostEvent

CHECK_MODE_GUARD = "ansible_check_mode"
NOT_PREVIEWABLE, SKIPPED = "not previewable", "skipped"


@dataclass(frozen=True)
class TaskPreview:
    """One task on one host in a check-mode run."""

    stage: str
    task: str
    host: str
    verdict: str  # would change | no change | not previewable | skipped | failed | unreachable
    detail: str = ""
    block: str = ""  # file:line of the enclosing block, "" at the top of a play


def task_previews(folder: Path, source_root: Path | None = None) -> list[TaskPreview]:
    """Each task's verdict per host, in the order the run met them, from ``folder``/events.jsonl.

    A run executes a sealed copy of the playbooks that is gone afterwards; a task's playbook is then
    read from the same path under ``source_root`` (the repository the copy was made from).
    """
    events = folder / "events.jsonl"
    if not events.is_file():
        return []
    found: list[TaskPreview] = []
    for line in events.read_text(encoding="utf-8").splitlines():
        try:
            event = HostEvent.from_json(json.loads(line))
        except (ValueError, AttributeError):
            continue  # a run killed mid-write leaves a partial last line
        if event is not None and event.final and event.host:
            found.append(_preview(event, source_root))
    return _off_path_as_skipped(found)


def _off_path_as_skipped(found: list[TaskPreview]) -> list[TaskPreview]:
    ran = {(p.stage, p.host, p.block) for p in found if p.verdict not in (NOT_PREVIEWABLE, SKIPPED)}
    return [replace(p, verdict=SKIPPED) if p.verdict == NOT_PREVIEWABLE and p.block
            and (p.stage, p.host, p.block) not in ran else p for p in found]


def _preview(event: HostEvent, source_root: Path | None) -> TaskPreview:
    result, (guarded, block) = event.result, _task_source(event.task_path, source_root)
    seen = TaskPreview(event.stage, event.task, event.host, "no change", block=block)
    if event.kind is EventKind.SKIPPED:
        guarded = guarded or CHECK_MODE_GUARD in str(result.get("false_condition", ""))
        return replace(seen, verdict=NOT_PREVIEWABLE if guarded else SKIPPED)
    if event.kind is EventKind.UNREACHABLE and not event.ignored:
        return replace(seen, verdict="unreachable", detail=str(result.get("msg", "")))
    if event.kind is EventKind.FAILED and not event.ignored:
        return replace(seen, verdict="failed", detail=str(result.get("msg", "")))
    if event.changed:
        lines = result.get("updates") or result.get("commands") or []
        return replace(seen, verdict="would change", detail="; ".join(str(line) for line in lines))
    return seen


def _task_source(task_path: str, source_root: Path | None) -> tuple[bool, str]:
    """For the task at ``task_path`` (``file:line``): whether its own ``when`` names ansible_check_mode,
    and where its enclosing block starts. The runner's skip events do not carry the condition."""
    file, _, number = task_path.rpartition(":")
    file = _readable(file, source_root)
    lines = _lines(file)
    try:
        start = int(number) - 1
        dash = _indent(lines[start])
    except (ValueError, IndexError):
        return False, ""
    return _own_when_is_guard(lines, start, dash), _enclosing_block(file, lines, start, dash)


def _own_when_is_guard(lines: tuple[str, ...], start: int, dash: int) -> bool:
    key, condition = "", []
    for line in lines[start + 1:]:
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        if _indent(line) <= dash:
            break  # the next task, or the end of the task list
        if _indent(line) == dash + 2:  # one of this task's own keys, not a nested task's
            key = line.strip().split(":", 1)[0]
        if key == "when":  # `when: ...`, or the items of a `when:` list below it
            condition.append(line)
    return any(CHECK_MODE_GUARD in part for part in condition)


def _enclosing_block(file: str, lines: tuple[str, ...], start: int, dash: int) -> str:
    for number in range(start - 1, -1, -1):
        line = lines[number]
        if line.strip() and _indent(line) < dash:
            return f"{file}:{number + 1}" if line.strip() in ("block:", "always:", "rescue:") else ""
    return ""


def _readable(file: str, source_root: Path | None) -> str:
    """``file``, or the file at its longest path suffix that exists under ``source_root``."""
    if not file or Path(file).is_file() or source_root is None:
        return file
    parts = Path(file).parts
    for start in range(1, len(parts)):
        candidate = source_root.joinpath(*parts[start:])
        if candidate.is_file():
            return str(candidate)
    return file


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip())


@lru_cache(maxsize=64)
def _lines(file: str) -> tuple[str, ...]:
    try:
        return tuple(Path(file).read_text(encoding="utf-8").splitlines())
    except (OSError, ValueError):
        return ()
