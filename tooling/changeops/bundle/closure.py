"""The playbook side of a plan: every file a step's playbook loads, resolved the way Ansible searches.

Starting from a playbook, follow import_playbook, include/import_tasks, roles (``roles:``,
include/import_role, meta dependencies), vars_files, include_vars, controller-side ``src`` and
the file-reading lookups, into a closed set of files. What cannot be followed statically is a
finding at the line where it is written; it never enters the set, so it cannot load.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass

from changeops.bundle.lookups import FileRead, jinja_uses
from changeops.bundle.references import Reference, Refused, file_references
from changeops.bundle.source import TreeSource, clean_path, walk_files
from changeops.findings import Finding, Severity

ROLE_FOLDERS = ("tasks", "handlers", "vars", "defaults", "meta", "templates", "files")
PARSED_ROLE_FOLDERS = ("tasks", "handlers", "vars", "defaults", "meta")
# Folders Ansible loads code or variables from by their mere presence beside a playbook (or inventory).
SPECIAL_FOLDERS = frozenset({"library", "module_utils", "collections", "group_vars", "host_vars"})
UNRESOLVED_HINT = "name the file literally, or list the candidates with a `when:` per include"
SPECIAL_HINT = ("move the file out of that folder and name it from the playbook; Ansible loads that folder by "
                "itself, so a sealed bundle never contains it")


@dataclass(frozen=True)
class Context:
    """Where a file was reached from: the folder of its playbook (Ansible's basedir)."""

    basedir: str


def role_root(path: str) -> str | None:
    """``playbooks/roles/r`` for any path inside that role, else None."""
    parts = path.split("/")
    for index in range(len(parts) - 3, -1, -1):
        if parts[index] == "roles":
            return "/".join(parts[: index + 2])
    return None


def special_folder(path: str) -> str | None:
    """The folder of ``path`` that Ansible treats specially, if any."""
    for part in path.split("/")[:-1]:
        if part in SPECIAL_FOLDERS or part.endswith("_plugins"):
            return part
    return None


def outside_plan(path: str) -> bool:
    """A change's approvals and runs, and the runner's own state, are never part of a plan."""
    parts = path.split("/")
    return (parts[0] == "changes" and len(parts) > 2 and parts[2] in ("approvals", "runs")) or parts[0] in (
        ".git", ".changeops_state", ".changeops_cache", ".lab")


class Closure:
    """The files reached so far (path -> bytes) and the findings on the way."""

    def __init__(self, source: TreeSource) -> None:
        self.source = source
        self.files: dict[str, bytes] = {}
        self.findings: list[Finding] = []
        self._scanned: set[str] = set()

    def add_playbook(self, path: str) -> None:
        """Add ``path`` (an existing playbook) and everything it loads."""
        self._scan_yaml(path, Context(posixpath.dirname(path)))

    def _finding(self, file: str, line: int, column: int, rule: str, message: str, hint: str) -> None:
        self.findings.append(Finding(file, line, column, rule, Severity.ERROR, message, hint))

    def _add(self, path: str, content: bytes) -> None:
        self.files[path] = content

    def _first_scan(self, path: str) -> bool:
        """True the first time ``path`` is read for what it loads (a role copies files before they are named)."""
        first = path not in self._scanned
        self._scanned.add(path)
        return first

    def _scan_yaml(self, path: str, context: Context) -> None:
        content = self.source.read(path)
        if content is None:
            return
        self._add(path, content)
        if not self._first_scan(path):
            return
        found_all, problem = file_references(content)
        if problem is not None:
            self._finding(path, problem.line, problem.column, "plan-unreadable",
                          f"{path} cannot be read as YAML ({problem.message}): what it loads cannot be followed",
                          problem.hint)
            return
        for found in found_all:
            if isinstance(found, Refused):
                self._finding(path, found.line, found.column, "plan-unresolved", found.message, UNRESOLVED_HINT)
            else:
                self._follow(path, found, context)

    def _scan_template(self, path: str, context: Context) -> None:
        content = self.source.read(path)
        if content is None:
            return
        self._add(path, content)
        if not self._first_scan(path):
            return
        text = content.decode("utf-8", "replace")
        for use in jinja_uses(text):
            if isinstance(use, FileRead):
                self._follow(path, Reference(use.folder, use.names, use.what, use.line, 1, use.is_template), context)
            else:
                self._finding(path, use.line, 1, "plan-unresolved", use.message, UNRESOLVED_HINT)

    def _follow(self, origin: str, reference: Reference, context: Context) -> None:
        if reference.kind == "role":
            self._follow_role(origin, reference, context)
            return
        target = self._locate(origin, reference, context)
        if target is None or not self._admissible(origin, reference, target):
            return
        if reference.kind == "playbook":
            self._scan_yaml(target, Context(posixpath.dirname(target)))
        elif reference.kind in ("tasks", "vars"):
            self._scan_yaml(target, context)
        elif reference.is_template:
            self._scan_template(target, context)
        else:
            self._add(target, self.source.read(target) or b"")

    def _locate(self, origin: str, reference: Reference, context: Context) -> str | None:
        """The first candidate that exists, the way Ansible's search path orders them; None with a finding."""
        outside = False
        for name in reference.names:
            if name.startswith(("/", "~")):
                outside = True
                continue
            for candidate in _candidates(reference, name, origin, context):
                path = clean_path(candidate)
                if path is None:
                    outside = True
                elif self.source.read(path) is not None or (
                        reference.kind == "files" and self.source.is_dir(path) and path != ""):
                    return path
        names = " or ".join(f"`{n}`" for n in reference.names)
        where = "outside the repository" if outside else "in any folder Ansible would search"
        self._finding(origin, reference.line, reference.column, "plan-unresolved",
                      f"{reference.what} names {names}, which is not a file {where}", UNRESOLVED_HINT)
        return None

    def _admissible(self, origin: str, reference: Reference, target: str) -> bool:
        folder = special_folder(target)
        if folder is not None:
            self._finding(origin, reference.line, reference.column, "plan-special-folder",
                          f"{reference.what} names {target}, inside `{folder}/`, a folder Ansible loads by itself",
                          SPECIAL_HINT)
            return False
        if outside_plan(target):
            self._finding(origin, reference.line, reference.column, "plan-unresolved",
                          f"{reference.what} names {target}, which is never part of a plan", UNRESOLVED_HINT)
            return False
        if self.source.is_dir(target):  # copy: of a folder sends what it holds
            for path in walk_files(self.source, target):
                if self._admissible(origin, reference, path):
                    self._add(path, self.source.read(path) or b"")
            return False
        return True

    def _follow_role(self, origin: str, reference: Reference, context: Context) -> None:
        name = reference.names[0]
        if name.count(".") >= 2 and "/" not in name:
            return  # a collection role: from the installed collections, never from the repository
        for candidate in _role_candidates(name, origin, context):
            root = clean_path(candidate)
            if not root or not self.source.is_dir(root):
                continue
            folder = special_folder(root + "/")
            if folder is not None:
                self._finding(origin, reference.line, reference.column, "plan-special-folder",
                              f"{reference.what} names the role {root}, inside `{folder}/`", SPECIAL_HINT)
            else:
                self._add_role(root, context)
            return
        self._finding(origin, reference.line, reference.column, "plan-unresolved",
                      f"{reference.what} names the role `{name}`, which is not a folder under a roles/ folder",
                      "create the role under playbooks/roles/, or use a role of an installed collection by its "
                      "full name")

    def _add_role(self, root: str, context: Context) -> None:
        if not self._first_scan(root):
            return
        for folder in ROLE_FOLDERS:
            for path in walk_files(self.source, f"{root}/{folder}"):
                if not self._admissible(root, Reference("files", (path,), "role", 1, 1), path):
                    continue
                if folder in PARSED_ROLE_FOLDERS and posixpath.splitext(path)[1] in ("", ".yml", ".yaml", ".json"):
                    self._scan_yaml(path, context)
                else:
                    self._add(path, self.source.read(path) or b"")


def _candidates(reference: Reference, name: str, origin: str, context: Context) -> list[str]:
    """Where Ansible looks for ``name``: the role, the including file's folder, the playbook's folder."""
    here, kind = posixpath.dirname(origin), reference.kind
    if kind == "playbook":
        return [posixpath.join(here, name)]
    if reference.what == "vars_files":  # relative to the play's own folder, nothing else
        return [posixpath.join(context.basedir, name)]
    folder = {"tasks": "tasks", "vars": "vars", "files": "files", "templates": "templates"}[kind]
    bases = [b for b in (role_root(origin), here, context.basedir) if b is not None]
    found: list[str] = []
    for base in dict.fromkeys(bases):
        if name.split("/")[0] != folder:
            found.append(posixpath.join(base, folder, name))
        found.append(posixpath.join(base, name))
    return found


def _role_candidates(name: str, origin: str, context: Context) -> list[str]:
    inside = role_root(origin)
    bases = [posixpath.join(context.basedir, "roles"), "playbooks/roles"]
    if inside is not None:
        bases.insert(0, posixpath.dirname(inside))
    return [posixpath.join(base, name) for base in dict.fromkeys(bases)] + [posixpath.join(context.basedir, name)]
