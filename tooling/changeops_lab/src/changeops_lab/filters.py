"""Output pipes of the IOS CLI: ``| include``, ``| exclude``, ``| begin``, ``| section``, ``| count``."""

from __future__ import annotations

import re
from dataclasses import dataclass

_PIPE = re.compile(r"\s+\|\s+")  # a `|` inside a regex (`include a|b`) is not a pipe
_KINDS = {
    "include": "include", "i": "include", "in": "include", "inc": "include", "incl": "include",
    "exclude": "exclude", "e": "exclude", "ex": "exclude", "exc": "exclude", "excl": "exclude",
    "begin": "begin", "b": "begin", "be": "begin", "beg": "begin",
    "section": "section", "s": "section", "se": "section", "sec": "section",
    "count": "count", "c": "count", "co": "count",
}


@dataclass(frozen=True)
class Pipe:
    kind: str
    pattern: re.Pattern[str]


class PipeError(ValueError):
    """A pipe the CLI does not understand (rendered as `% Invalid input`)."""


def split_pipes(command: str) -> tuple[str, list[Pipe]]:
    """The command before the first ``|`` and the parsed pipes after it."""
    base, *rest = _PIPE.split(command)
    pipes = []
    for part in rest:
        words = part.strip().split(None, 1)
        kind = _KINDS.get(words[0].lower()) if words else None
        if kind is None or len(words) < 2:
            raise PipeError(part)
        try:
            pipes.append(Pipe(kind, re.compile(words[1].strip())))
        except re.error as err:
            raise PipeError(part) from err
    return base.strip(), pipes


def apply_pipes(text: str, pipes: list[Pipe]) -> str:
    for pipe in pipes:
        text = _APPLY[pipe.kind](text.splitlines(), pipe.pattern)
    return text


def _include(lines: list[str], pattern: re.Pattern[str]) -> str:
    return "\n".join(line for line in lines if pattern.search(line))


def _exclude(lines: list[str], pattern: re.Pattern[str]) -> str:
    return "\n".join(line for line in lines if not pattern.search(line))


def _begin(lines: list[str], pattern: re.Pattern[str]) -> str:
    start = next((i for i, line in enumerate(lines) if pattern.search(line)), len(lines))
    return "\n".join(lines[start:])


def _count(lines: list[str], pattern: re.Pattern[str]) -> str:
    return f"Number of lines which match regexp = {sum(1 for line in lines if pattern.search(line))}"


def _section(lines: list[str], pattern: re.Pattern[str]) -> str:
    """Every top-level entry (with the lines indented under it) in which some line matches."""
    blocks: list[list[str]] = []
    for line in lines:
        if line.startswith(" ") and blocks:
            blocks[-1].append(line)
        elif line.strip() and line.strip() != "!":
            blocks.append([line])
    return "\n".join(line for block in blocks if any(pattern.search(x) for x in block) for line in block)


_APPLY = {"include": _include, "exclude": _exclude, "begin": _begin, "count": _count, "section": _section}
