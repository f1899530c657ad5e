"""References from records to files: kept inside their folder, whatever the path or symlinks say."""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from pathlib import Path, PurePosixPath


@dataclass(frozen=True)
class PathProblem:
    rule: str
    message: str
    hint: str


def _missing_hint(folder: Path, pure: PurePosixPath, where: str) -> str:
    siblings = [p.name for p in (folder / pure.parent).glob("*")] if (folder / pure.parent).is_dir() else []
    close = difflib.get_close_matches(pure.name, siblings, n=1)
    if close:
        return f"did you mean {where}{(pure.parent / close[0]).as_posix().removeprefix('./')}?"
    return f"create {where}{pure.as_posix()} or correct the name"


def resolve_inside(folder: Path, reference: str, *, suffixes: tuple[str, ...]) -> Path | PathProblem:
    """The file ``reference`` names under ``folder``, or why it may not be used.

    Refuses absolute paths, ``..`` segments, backslashes, symlinks that lead out of
    ``folder``, missing files and files of the wrong kind.
    """
    pure = PurePosixPath(reference)
    where = f"{folder.name}/"
    if "\\" in reference or pure.is_absolute() or reference[1:3] == ":/":
        return PathProblem("path-absolute", f"{reference!r} is an absolute path",
                           f"name the file relative to {where}, e.g. backup.yml")
    if ".." in pure.parts:
        return PathProblem("path-traversal", f"{reference!r} climbs out of {where} with '..'",
                           f"name a file inside {where}")
    candidate = folder / pure
    try:
        real = candidate.resolve(strict=True)
    except (FileNotFoundError, RuntimeError, OSError):
        return PathProblem("path-missing", f"{where}{reference} does not exist", _missing_hint(folder, pure, where))
    if not real.is_relative_to(folder.resolve()):
        return PathProblem("path-symlink-out", f"{where}{reference} is a symlink that leads out of {where}",
                           f"replace the symlink with a real file inside {where}")
    if not real.is_file() or real.suffix not in suffixes:
        return PathProblem("path-kind", f"{where}{reference} is not a {' or '.join(suffixes)} file",
                           f"name a {' or '.join(suffixes)} file")
    return real
