"""A run folder the scan refused: moved out of the work tree, so no later `git add` can pick it up."""

from __future__ import annotations

import shutil
from pathlib import Path


def quarantine(folder: Path, target: Path) -> Path:
    """Move ``folder`` to ``target`` (in the state directory, outside git); the emptied parents go too."""
    target.parent.mkdir(parents=True, exist_ok=True)
    if target.exists():
        shutil.rmtree(target)
    shutil.move(str(folder), str(target))
    runs = folder.parent
    if runs.name == "runs" and runs.is_dir() and not any(runs.iterdir()):  # no empty runs/ left behind
        runs.rmdir()
    target.chmod(0o700)
    return target
