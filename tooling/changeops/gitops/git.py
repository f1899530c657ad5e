"""The one place that talks to git (through GitPython), in the words of the domain."""

from __future__ import annotations

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
    try:
        return (commit.tree / path).data_stream.read()
    except KeyError:
        return None


def folder_names(commit: git.Commit, folder: str) -> set[str]:
    """Names of the sub-folders of ``folder`` at ``commit``."""
    try:
        return {tree.name for tree in (commit.tree / folder).trees}
    except KeyError:
        return set()


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
