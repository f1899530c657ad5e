"""Where a plan's files are read from: a commit's objects, or a working tree.

Both sources answer the same three questions (the bytes of a file, the names in a
folder, whether a path is a folder) with repository-relative POSIX paths, and both
refuse what could smuggle content in from elsewhere: symlinks, absolute paths, ``..``.
"""

from __future__ import annotations

import os
import posixpath
import stat
import subprocess
from pathlib import Path
from types import TracebackType
from typing import Protocol

from changeops.errors import UsageError

_SYMLINK_MODE = "120000"
_BLOB_MODES = ("100644", "100755")


class TreeSource(Protocol):
    """A read-only tree of repository files, addressed by repository-relative POSIX paths."""

    label: str

    def read(self, path: str) -> bytes | None:
        """The bytes of the regular file at ``path``, or None (missing, a folder, a symlink, outside)."""
        ...

    def list(self, folder: str) -> list[str]:
        """Sorted names of the entries directly in ``folder`` ("" is the root); [] when it is no folder."""
        ...

    def is_dir(self, path: str) -> bool:
        """Whether ``path`` is a folder of the tree."""
        ...


def clean_path(path: str) -> str | None:
    """``path`` normalised inside the root, or None when it is absolute or climbs out with ``..``."""
    if not path or path.startswith(("/", "~")) or "\\" in path or "\0" in path:
        return None
    normal = posixpath.normpath(path)
    if normal == ".":
        return ""
    return None if normal == ".." or normal.startswith("../") else normal


def walk_files(source: TreeSource, folder: str) -> list[str]:
    """Every regular file below ``folder``, recursively, as sorted repository paths.

    Hidden names and editor backups (``.main.yml.swp``, ``main.yml~``) are skipped, as Ansible skips
    them in vars folders: a working tree's editor litter must not change a digest taken from it.
    """
    found: list[str] = []
    for name in source.list(folder):
        if name.startswith(".") or name.endswith("~"):
            continue
        path = f"{folder}/{name}" if folder else name
        if source.is_dir(path):
            found += walk_files(source, path)
        elif source.read(path) is not None:
            found.append(path)
    return sorted(found)


class WorkTree:
    """The files of a folder on disk; symlinks (anywhere on the path) and ``.git`` are never followed."""

    def __init__(self, root: Path) -> None:
        self.root = root.resolve()
        self.label = str(self.root)

    def _stat(self, path: str) -> os.stat_result | None:
        normal = clean_path(path)
        if normal is None:
            return None
        current = self.root
        result = os.lstat(current)
        for part in normal.split("/") if normal else []:
            if part == ".git":
                return None
            current = current / part
            try:
                result = os.lstat(current)
            except OSError:
                return None
            if stat.S_ISLNK(result.st_mode):
                return None  # a symlink could lead anywhere: its target was never reviewed
        return result

    def read(self, path: str) -> bytes | None:
        """The bytes of the regular file at ``path``, or None."""
        result = self._stat(path)
        if result is None or not stat.S_ISREG(result.st_mode):
            return None
        try:
            return (self.root / path).read_bytes()
        except OSError:  # unreadable is missing: the plan cannot include what cannot be read
            return None

    def list(self, folder: str) -> list[str]:
        """Sorted names directly in ``folder``."""
        if not self.is_dir(folder):
            return []
        return sorted(name for name in os.listdir(self.root / folder) if name != ".git")

    def is_dir(self, path: str) -> bool:
        """Whether ``path`` is a real folder (not a symlink to one)."""
        result = self._stat(path)
        return result is not None and stat.S_ISDIR(result.st_mode)


class GitTree:
    """The files of one commit, read from the object store: ``git ls-tree -r`` once, blobs through one
    ``git cat-file --batch`` process kept open for the life of the object (close it, or use ``with``)."""

    def __init__(self, repo_root: Path, commit: str) -> None:
        self._batch: subprocess.Popen[bytes] | None = None
        self.repo_root = repo_root
        self.commit = _git(repo_root, ["rev-parse", "--verify", "--quiet", f"{commit}^{{commit}}"]).strip()
        self.label = f"{commit} ({self.commit[:10]})"
        self._blobs: dict[str, tuple[str, str]] = {}
        self._folders: dict[str, set[str]] = {"": set()}
        self._index(_git(repo_root, ["ls-tree", "-r", "-z", "--full-tree", self.commit]))
        self._cache: dict[str, bytes] = {}

    def _index(self, listing: str) -> None:
        for record in listing.split("\0"):
            if not record:
                continue
            meta, path = record.split("\t", 1)
            mode, _kind, oid = meta.split()
            self._blobs[path] = (mode, oid)
            parts = path.split("/")
            for depth in range(len(parts)):
                parent = "/".join(parts[:depth])
                self._folders.setdefault(parent, set()).add(parts[depth])

    def read(self, path: str) -> bytes | None:
        """The blob at ``path`` in the commit, or None (missing, a folder, a symlink, a submodule)."""
        normal = clean_path(path)
        entry = self._blobs.get(normal) if normal else None
        if normal is None or entry is None or entry[0] not in _BLOB_MODES:
            return None
        if normal not in self._cache:
            self._cache[normal] = self._cat(entry[1])
        return self._cache[normal]

    def list(self, folder: str) -> list[str]:
        """Sorted names directly in ``folder`` at the commit."""
        normal = clean_path(folder)
        return sorted(self._folders.get(normal, set())) if normal is not None else []

    def is_dir(self, path: str) -> bool:
        """Whether ``path`` is a folder at the commit."""
        normal = clean_path(path)
        return normal is not None and normal in self._folders

    def _cat(self, oid: str) -> bytes:
        if self._batch is None:
            self._batch = subprocess.Popen(["git", "cat-file", "--batch"], cwd=self.repo_root, env=_git_env(),
                                           stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        assert self._batch.stdin is not None and self._batch.stdout is not None
        self._batch.stdin.write(f"{oid}\n".encode())
        self._batch.stdin.flush()
        header = self._batch.stdout.readline().split()
        size = int(header[2])
        content = self._batch.stdout.read(size)
        self._batch.stdout.read(1)  # the newline after each object
        return content

    def close(self) -> None:
        """End the ``git cat-file`` process."""
        if self._batch is not None:
            assert self._batch.stdin is not None
            self._batch.stdin.close()
            self._batch.wait()
            self._batch = None

    def __enter__(self) -> GitTree:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        self.close()

    def __del__(self) -> None:
        self.close()


def _git_env() -> dict[str, str]:
    return {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": os.environ.get("HOME", "/"), "LC_ALL": "C",
            "GIT_CONFIG_NOSYSTEM": "1"}


def _git(root: Path, args: list[str]) -> str:
    result = subprocess.run(["git", *args], cwd=root, capture_output=True, env=_git_env(), check=False)
    if result.returncode != 0:
        raise UsageError(f"{args[-1]!r} does not name a commit in {root}: "
                         f"{result.stderr.decode('utf-8', 'replace').strip()}")
    return result.stdout.decode("utf-8", "surrogateescape")
