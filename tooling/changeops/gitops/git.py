"""The one place that talks to git (through GitPython), in the words of the domain."""

from __future__ import annotations

import os
import subprocess
import tempfile
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Iterator

import git
from git.exc import BadName, GitCommandError, InvalidGitRepositoryError, NoSuchPathError

from changeops.errors import ChangeopsError, UsageError


class GitError(ChangeopsError):
    """git could not do what was asked."""

    def __init__(self, action: str, detail: str) -> None:
        super().__init__(f"{action}: {detail}")
        self.action, self.detail = action, detail

    def __str__(self) -> str:
        return f"git {self.action} failed: {self.detail.strip().splitlines()[-1] if self.detail.strip() else ''}"


@dataclass(frozen=True)
class ChangedFile:
    status: str  # A added, M modified, D deleted, R renamed
    path: str


def open_repo(root: Path) -> git.Repo:
    try:
        return git.Repo(root, search_parent_directories=True)
    except (InvalidGitRepositoryError, NoSuchPathError):
        raise UsageError(f"{root} is not inside a git repository") from None


def resolve(repo: git.Repo, ref: str) -> git.Commit:
    """The commit ``ref`` names (a branch, tag, remote branch or SHA)."""
    try:
        return repo.commit(ref)
    except (BadName, ValueError, GitCommandError):
        raise UsageError(f"{ref!r} does not name a commit in {repo.working_dir} (fetch it first?)") from None


def merge_base(repo: git.Repo, base: git.Commit, head: git.Commit) -> git.Commit:
    bases = repo.merge_base(base, head)
    if not bases:
        raise UsageError(f"{base.hexsha[:10]} and {head.hexsha[:10]} share no history")
    return bases[0]


def changed_files(since: git.Commit, head: git.Commit | None) -> list[ChangedFile]:
    """Files that differ between ``since`` and ``head`` (the working tree when None)."""
    diffs = since.diff(head) if head is not None else since.diff(None)
    changed = []
    for diff in diffs:
        status = diff.change_type[0]
        changed.append(ChangedFile(status, diff.b_path if status != "D" else diff.a_path))
    if head is None:  # the working tree: new files count even before `git add`
        changed += [ChangedFile("A", path) for path in since.repo.untracked_files]
    return sorted(changed, key=lambda c: c.path)


def read_file(commit: git.Commit, path: str) -> bytes | None:
    """The content of ``path`` at ``commit``, or None if it does not exist there."""
    return read_files(commit, [path])[path]


def read_files(commit: git.Commit, paths: list[str]) -> dict[str, bytes | None]:
    """Contents of ``paths`` at ``commit`` in one `git cat-file --batch` (None where a path is missing).

    GitPython's tree objects re-parse a large folder for every lookup; one batch is O(files).
    """
    if not paths:
        return {}
    request = "".join(f"{commit.hexsha}:{path}\n" for path in paths).encode()
    output = _git(commit.repo, ["cat-file", "--batch"], request)
    contents: dict[str, bytes | None] = {}
    at = 0
    for path in paths:
        header_end = output.index(b"\n", at)
        header = output[at:header_end].split()
        if header[-1] == b"missing" or header[1] != b"blob":
            contents[path], at = None, header_end + 1
            continue
        size = int(header[2])
        contents[path] = output[header_end + 1: header_end + 1 + size]
        at = header_end + 1 + size + 1
    return contents


def folder_names(commit: git.Commit, folder: str) -> set[str]:
    """Names of the sub-folders of ``folder`` at ``commit``."""
    listing = _git(commit.repo, ["ls-tree", "-d", "--name-only", f"{commit.hexsha}:{folder}"], b"", missing_ok=True)
    return {line for line in listing.decode("utf-8", "replace").splitlines() if line}


def _git(repo: git.Repo, args: list[str], stdin: bytes, *, missing_ok: bool = False) -> bytes:
    """Run git with a clean environment; its output as bytes."""
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": os.environ.get("HOME", "/"), "LC_ALL": "C",
           "GIT_CONFIG_NOSYSTEM": "1"}
    result = subprocess.run(["git", *args], cwd=repo.working_dir, input=stdin, capture_output=True, env=env,
                            check=False)
    if result.returncode != 0:
        if missing_ok:
            return b""
        raise GitError(args[0], result.stderr.decode("utf-8", "replace"))
    return result.stdout


def short(commit: git.Commit) -> str:
    return commit.hexsha[:10]


@contextmanager
def checkout(repo: git.Repo, commit: git.Commit) -> Iterator[Path]:
    """A temporary, detached worktree of ``commit``, removed afterwards."""
    with tempfile.TemporaryDirectory(prefix="changeops-head-") as parent:
        where = Path(parent) / "head"
        try:
            repo.git.worktree("add", "--detach", str(where), commit.hexsha)
        except GitCommandError as err:
            raise GitError("worktree add", str(err.stderr)) from None
        try:
            yield where
        finally:
            repo.git.worktree("remove", "--force", str(where))


@dataclass(frozen=True)
class GitPolicySource:
    """Policy files as they are at a commit (the base of a pull request)."""

    commit: git.Commit
    label: str

    def read(self, name: str) -> bytes | None:
        return read_file(self.commit, str(PurePosixPath("policies") / name))
