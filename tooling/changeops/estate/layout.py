"""Where things live in a changeops repository."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from changeops.errors import EstateError

RECORD_NAME = "change.yaml"
RUNBOOK_LANGUAGES = ("zh", "en")
"""Languages a runbook's body may be written in; ``<name>.<language>.md`` holds ``<name>.md``'s body in one."""


@dataclass(frozen=True)
class Estate:
    """A changeops repository: records, inventory, playbooks, policies, runbooks."""

    root: Path

    @classmethod
    def find(cls, start: Path) -> Estate:
        """The estate containing ``start``: the nearest folder upwards with ``changes/`` and ``inventory/``."""
        start = start.resolve()
        for folder in (start, *start.parents):
            if (folder / "changes").is_dir() and (folder / "inventory").is_dir():
                return cls(folder)
        raise EstateError(start, "not inside a changeops repository (no folder above has changes/ and inventory/)")

    @property
    def changes(self) -> Path:
        return self.root / "changes"

    @property
    def inventory(self) -> Path:
        return self.root / "inventory"

    @property
    def playbooks(self) -> Path:
        return self.root / "playbooks"

    @property
    def runbooks(self) -> Path:
        return self.root / "runbooks"

    @property
    def policies(self) -> Path:
        return self.root / "policies"

    @property
    def reports(self) -> Path:
        """Service summaries' own files: delivery dates, analysis and proposals (``reports/2026-Q4.yaml``)."""
        return self.root / "reports"

    @property
    def cache(self) -> Path:
        return self.root / ".changeops_cache"

    def record_path(self, change_id: str) -> Path:
        return self.changes / change_id / RECORD_NAME

    def record_files(self) -> list[Path]:
        """Every change record, sorted by folder name."""
        try:
            folders = sorted(entry.name for entry in os.scandir(self.changes) if entry.is_dir())
        except FileNotFoundError:
            return []
        paths = (self.changes / name / RECORD_NAME for name in folders)
        return [path for path in paths if path.is_file()]

    def runbook_files(self) -> list[Path]:
        """Every runbook, without the bodies in another language that belong to one (which its reader reads)."""
        files = sorted(self.runbooks.rglob("*.md")) if self.runbooks.is_dir() else []
        present = set(files)
        return [path for path in files if not any(
            path.name.endswith(f".{language}.md") and path.with_name(path.name.removesuffix(f".{language}.md")
                                                                     + ".md") in present
            for language in RUNBOOK_LANGUAGES)]

    def relative(self, path: Path) -> str:
        """``path`` relative to the root, as a POSIX string (how findings name files)."""
        text, root = str(path), str(self.root)
        if text.startswith(root + os.sep):  # the common case, without touching the filesystem
            return text[len(root) + 1:].replace(os.sep, "/")
        try:
            return path.resolve().relative_to(self.root).as_posix() if path.is_absolute() else path.as_posix()
        except ValueError:
            return path.as_posix()


def runbook_translation(path: Path, language: str) -> Path:
    """Where the body in ``language`` of the runbook at ``path`` is kept."""
    return path.with_name(f"{path.name.removesuffix('.md')}.{language}.md")
