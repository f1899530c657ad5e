"""Where a repository's run state lives: outside its work tree, never in git.

Journals of running changes, unmasked backups and the stages' work folders are the
runner's own. A pull request can add any file to a work tree (a forged journal under
``.changeops_state/`` included), so state is kept in a per-repository folder under
``$CHANGEOPS_STATE_HOME`` (default ``$XDG_STATE_HOME/changeops``, else
``~/.local/state/changeops``), named after the repository's path.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
from pathlib import Path

from changeops.errors import EstateError
from changeops.findings import Finding, Severity

IN_TREE_STATE = (".changeops_state", ".lab")
"""Folders earlier versions (and the lab) kept inside a work tree: never tracked, never trusted."""


def state_home() -> Path:
    """The folder holding every repository's state folder."""
    explicit = os.environ.get("CHANGEOPS_STATE_HOME")
    if explicit:
        return Path(explicit).expanduser().resolve()
    xdg = os.environ.get("XDG_STATE_HOME")
    base = Path(xdg).expanduser() if xdg else Path.home() / ".local" / "state"
    return (base / "changeops").resolve()


def state_dir(root: Path) -> Path:
    """The state folder of the repository at ``root`` (created 0700); refused when inside the work tree."""
    root = root.resolve()
    key = hashlib.sha256(str(root).encode("utf-8", "surrogateescape")).hexdigest()[:16]
    folder = state_home() / f"{root.name}-{key}"
    if folder == root or folder.is_relative_to(root):
        raise EstateError(root, f"the state folder {folder} is inside the work tree; set CHANGEOPS_STATE_HOME "
                                "to a folder outside it")
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    return folder


def inside(folder: Path, path: Path) -> bool:
    """Whether ``path`` (resolved, symlinks followed) lies inside ``folder``."""
    try:
        return path.resolve().is_relative_to(folder.resolve())
    except (OSError, RuntimeError):
        return False


def tracked_state_findings(root: Path) -> list[Finding]:
    """An error for every file git tracks under a state folder (a branch planting run state)."""
    listed = subprocess.run(["git", "ls-files", "-z", "--", *IN_TREE_STATE], cwd=root, capture_output=True,
                            check=False)
    if listed.returncode != 0:
        return []  # not a git repository: nothing is tracked
    names = [n for n in listed.stdout.decode("utf-8", "surrogateescape").split("\0") if n]
    return [Finding(name, 1, 1, "state-tracked", Severity.ERROR,
                    f"{name} is run state and must never be in git",
                    f"git rm --cached {name}; run state lives outside the work tree")
            for name in names]
