"""The one place that talks to git (through GitPython), in the words of the domain."""

from __future__ import annotations

import os
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

import git
from git.exc import BadName, GitCommandError, InvalidGitRepositoryError, NoSuchPathError

from changeops.errors import GitError, UsageError


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
        status = (diff.change_type or "M")[0]
        path = diff.b_path if status != "D" else diff.a_path
        if path is not None:
            changed.append(ChangedFile(status, path))
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


def first_author(repo: git.Repo, path: str) -> tuple[str, str] | None:
    """(name, email) of the author of the commit that added ``path`` (None if it is not committed)."""
    try:
        log = repo.git.log("--diff-filter=A", "--format=%an%x00%ae", "--", path)
    except GitCommandError:
        return None
    lines = [line for line in log.splitlines() if "\0" in line]
    if not lines:
        return None
    name, email = lines[-1].split("\0", 1)
    return name, email


def commit_identities(repo: git.Repo, paths: list[str], *, since: git.Commit | None = None,
                      head: git.Commit | None = None) -> set[str]:
    """E-mail addresses (lowercased) of the authors and committers of commits that touched ``paths``.

    Only commits after ``since`` (its descendants up to ``head``, default HEAD) when given; every
    commit of the history otherwise. Both addresses count: the author is whatever ``--author`` said.
    """
    if not paths:
        return set()
    span = f"{since.hexsha}..{head.hexsha if head else 'HEAD'}" if since is not None else (head.hexsha if head
                                                                                          else "HEAD")
    log = _git(repo, ["log", "--format=%ae%x00%ce", span, "--", *paths], b"", missing_ok=True)
    return {address.strip().lower() for line in log.decode("utf-8", "replace").splitlines()
            for address in line.split("\0") if address.strip()}


def symlinks(commit: git.Commit, folders: tuple[str, ...]) -> list[str]:
    """Paths under ``folders`` that are symbolic links (tree mode 120000) at ``commit``."""
    listing = _git(commit.repo, ["ls-tree", "-r", "-z", "--full-tree", commit.hexsha, "--", *folders], b"",
                   missing_ok=True)
    found = []
    for entry in listing.split(b"\0"):
        meta, _, path = entry.partition(b"\t")
        if meta.startswith(b"120000 "):
            found.append(path.decode("utf-8", "replace"))
    return sorted(found)


def tree_blobs(commit: git.Commit, folder: str) -> dict[str, str]:
    """``path: blob id`` of every file under ``folder`` at ``commit`` (mode and id make the content)."""
    listing = _git(commit.repo, ["ls-tree", "-r", "-z", "--full-tree", commit.hexsha, "--", folder], b"",
                   missing_ok=True)
    blobs = {}
    for entry in listing.split(b"\0"):
        meta, _, path = entry.partition(b"\t")
        if meta:
            mode, _kind, sha = meta.decode().split()
            blobs[path.decode("utf-8", "replace")] = f"{mode} {sha}"
    return blobs


def signing_key(repo: git.Repo) -> str | None:
    """The SSH signing key of the git configuration (user.signingkey), if it names a file."""
    try:
        value = repo.git.config("--get", "user.signingkey").strip()
    except GitCommandError:
        return None
    return value or None


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


# --- run records and device locks (execution) ---

LOCK_PREFIX = "refs/changeops/locks/"
REMOTE = "origin"


@dataclass(frozen=True)
class PushOutcome:
    """How a push of run records ended: pushed (after ``attempts``), or why not."""

    pushed: bool
    attempts: int
    detail: str = ""


def has_remote(repo: git.Repo, name: str = REMOTE) -> bool:
    return any(remote.name == name for remote in repo.remotes)


def current_branch(repo: git.Repo) -> str:
    try:
        return repo.active_branch.name
    except TypeError:
        raise UsageError(f"{repo.working_dir} is on a detached HEAD; check out a branch before running") from None


def commit_run(repo: git.Repo, *, paths: list[str], change_id: str, run_id: str, result: str, title: str) -> str:
    """Commit exactly ``paths`` (a run record, perhaps an inventory file) with the run's trailers; the new SHA."""
    message = f"{title}\n\nChange-Id: {change_id}\nRun-Id: {run_id}\nResult: {result}\n"
    try:
        repo.git.add("--force", "--", *paths)
        repo.git.commit("--no-verify", "-m", message, "--only", "--", *paths)
    except GitCommandError as err:
        raise GitError("commit", str(err.stderr)) from None
    return repo.head.commit.hexsha


def push_with_retry(repo: git.Repo, *, branch: str, remote: str = REMOTE, attempts: int = 5) -> PushOutcome:
    """Push ``branch``; when the remote moved, fetch, rebase the local commits onto it and try again."""
    detail = ""
    for attempt in range(1, attempts + 1):
        try:
            repo.git.push("--porcelain", remote, f"HEAD:refs/heads/{branch}")
            return PushOutcome(True, attempt)
        except GitCommandError as err:
            detail = str(err.stderr)
        try:
            repo.git.fetch(remote, branch)
            repo.git.rebase("--autostash", f"{remote}/{branch}")
        except GitCommandError as err:
            _abort_rebase(repo)
            return PushOutcome(False, attempt, f"rebase onto {remote}/{branch} failed: {err.stderr}")
    return PushOutcome(False, attempts, detail)


def on_remote(repo: git.Repo, path: str, *, branch: str, remote: str = REMOTE) -> bool:
    """Whether ``branch`` holds ``path`` on the remote, fetched now (without a remote: this clone's HEAD)."""
    ref = "HEAD"
    if has_remote(repo, remote):
        try:
            repo.git.fetch("--quiet", remote, branch)
        except GitCommandError as err:
            raise GitError("fetch", str(err.stderr)) from None
        ref = f"{remote}/{branch}"
    try:
        repo.git.cat_file("-e", f"{ref}:{path}")
    except GitCommandError:
        return False
    return True


def _abort_rebase(repo: git.Repo) -> None:
    with suppress(GitCommandError):
        repo.git.rebase("--abort")


def _lock_payload_commit(repo: git.Repo, payload: str) -> str:
    """A commit object carrying ``payload`` as its message (on the empty tree, reachable only from the lock)."""
    tree = repo.git.hash_object("-t", "tree", "-w", os.devnull)
    return str(repo.git.commit_tree(tree, "-m", payload))


def create_lock(repo: git.Repo, name: str, payload: str) -> str | None:
    """Create ``refs/changeops/locks/<name>`` if nobody holds it (here and on the remote); its SHA, or None."""
    ref = LOCK_PREFIX + name
    sha = _lock_payload_commit(repo, payload)
    if not has_remote(repo):
        try:
            repo.git.update_ref(ref, sha, "")  # "" as old value: only if the ref does not exist
        except GitCommandError:
            return None
        return sha
    # The remote decides; a local copy fetched earlier says nothing about who holds it now.
    try:
        repo.git.push("--porcelain", f"--force-with-lease={ref}:", REMOTE, f"{sha}:{ref}")
    except GitCommandError:
        return None
    repo.git.update_ref(ref, sha)
    return sha


def read_lock(repo: git.Repo, name: str, *, refresh: bool = True) -> tuple[str, str] | None:
    """(SHA, payload) of the lock on ``name`` (the remote's when there is one), or None when free."""
    ref = LOCK_PREFIX + name
    if refresh and has_remote(repo):
        try:
            listing = str(repo.git.ls_remote(REMOTE, ref)).strip()
        except GitCommandError as err:
            raise GitError("ls-remote", str(err.stderr)) from None
        if not listing:
            _delete_local_ref(repo, ref)
            return None
        try:
            repo.git.fetch(REMOTE, f"+{ref}:{ref}")
        except GitCommandError as err:
            raise GitError("fetch", str(err.stderr)) from None
    try:
        sha = repo.git.rev_parse("--verify", "--quiet", ref).strip()
    except GitCommandError:
        return None
    return sha, repo.git.log("-1", "--format=%B", sha).strip()


def delete_lock(repo: git.Repo, name: str, sha: str) -> bool:
    """Release the lock on ``name`` if it is still the one with ``sha`` (compare-and-swap)."""
    ref = LOCK_PREFIX + name
    ok = True
    if has_remote(repo):
        try:
            repo.git.push("--porcelain", f"--force-with-lease={ref}:{sha}", REMOTE, f":{ref}")
        except GitCommandError:
            ok = False
    if ok:  # a lock the remote still holds stays visible here too, so the next run retries its release
        _delete_local_ref(repo, ref, sha)
    return ok


def _delete_local_ref(repo: git.Repo, ref: str, sha: str | None = None) -> None:
    with suppress(GitCommandError):
        repo.git.update_ref("-d", ref, *([sha] if sha else []))


def remote_locks(repo: git.Repo) -> dict[str, str]:
    """Every lock the remote holds (host -> SHA), fetched into this clone; the local ones without a remote."""
    if not has_remote(repo):
        return {name: repo.git.rev_parse(LOCK_PREFIX + name).strip() for name in lock_names(repo)}
    try:
        repo.git.fetch("--prune", REMOTE, f"+{LOCK_PREFIX}*:{LOCK_PREFIX}*")
    except GitCommandError as err:
        raise GitError("fetch locks", str(err.stderr)) from None
    return {name: repo.git.rev_parse(LOCK_PREFIX + name).strip() for name in lock_names(repo)}


def lock_payload(repo: git.Repo, sha: str) -> str:
    return str(repo.git.log("-1", "--format=%B", sha)).strip()


def record_unlock(repo: git.Repo, *, host: str, run_id: str, change_id: str, reason: str, who: str) -> str:
    """An empty commit saying who released which lock and why (the audit trail of a manual unlock)."""
    message = (f"Unlock {host} held by run {run_id} of {change_id}\n\n{reason}\n\n"
               f"Unlocked-Host: {host}\nRun-Id: {run_id}\nChange-Id: {change_id}\nUnlocked-By: {who}\n")
    try:
        repo.git.commit("--no-verify", "--allow-empty", "-m", message)
    except GitCommandError as err:
        raise GitError("commit", str(err.stderr)) from None
    return repo.head.commit.hexsha


def repair_interrupted_rebase(repo: git.Repo) -> bool:
    """Abort a rebase a killed push left behind; whether there was one."""
    git_dir = Path(repo.git_dir)
    if not ((git_dir / "rebase-merge").exists() or (git_dir / "rebase-apply").exists()):
        return False
    _abort_rebase(repo)
    return True


def unpushed(repo: git.Repo, branch: str) -> int:
    """How many local commits of ``branch`` the remote does not have (0 without a remote)."""
    if not has_remote(repo):
        return 0
    try:
        return int(repo.git.rev_list("--count", f"{REMOTE}/{branch}..HEAD").strip() or 0)
    except GitCommandError:
        return 0


def lock_names(repo: git.Repo) -> list[str]:
    """Names of the locks held in this repository (local refs)."""
    listing = repo.git.for_each_ref("--format=%(refname)", LOCK_PREFIX)
    return [line[len(LOCK_PREFIX):] for line in listing.splitlines() if line]


def identity(repo: git.Repo) -> str:
    """Who runs: git's user.name <user.email>, or empty."""
    try:
        name = repo.git.config("--get", "user.name").strip()
    except GitCommandError:
        name = os.environ.get("GIT_AUTHOR_NAME", "")
    try:
        email = repo.git.config("--get", "user.email").strip()
    except GitCommandError:
        email = os.environ.get("GIT_AUTHOR_EMAIL", "")
    return f"{name} <{email}>" if name and email else name or email


def files_under(commit: git.Commit, folder: str) -> list[str]:
    """Paths of the files under ``folder`` at ``commit`` (recursively)."""
    listing = _git(commit.repo, ["ls-tree", "-r", "--name-only", commit.hexsha, "--", folder], b"", missing_ok=True)
    return [line for line in listing.decode("utf-8", "replace").splitlines() if line]


def history_blobs(repo: git.Repo) -> Iterator[tuple[str, str, bytes]]:
    """Every blob reachable from any ref, once: (its sha, the first path it was seen at, its content)."""
    listing = _git(repo, ["rev-list", "--all", "--objects", "--filter=object:type=blob"], b"")
    named: dict[str, str] = {}
    for line in listing.decode("utf-8", "replace").splitlines():
        sha, _, path = line.partition(" ")
        if path and sha not in named:
            named[sha] = path
    if not named:
        return
    output = _git(repo, ["cat-file", "--batch"], "".join(f"{sha}\n" for sha in named).encode())
    at = 0
    for sha, path in named.items():
        header_end = output.index(b"\n", at)
        size = int(output[at:header_end].split()[2])
        yield sha, path, output[header_end + 1: header_end + 1 + size]
        at = header_end + 1 + size + 1
