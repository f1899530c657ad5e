"""Why a file could not be read, where, and the bounds that keep hostile input harmless."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

MAX_BYTES = 256 * 1024
MAX_DEPTH = 40
MAX_NODES = 50_000
MAX_ALIASES = 100


@dataclass(frozen=True)
class Problem:
    """Why a file could not be read as data, and where (1-based line and column)."""

    rule: str
    message: str
    hint: str
    line: int = 1
    column: int = 1


class Abort(Exception):
    def __init__(self, problem: Problem) -> None:
        super().__init__(problem.message)
        self.problem = problem


def mark(node: Any) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1


def too_deep(mark: Any) -> Problem:
    return Problem(
        "yaml-nesting",
        f"the document nests deeper than {MAX_DEPTH} levels",
        "flatten the structure; records never need this depth",
        mark.line + 1,
        mark.column + 1,
    )


def no_document() -> Problem:
    return Problem("file-empty", "the file holds no document", "write the record's fields, or delete the file")


def multiple_documents(mark: Any) -> Problem:
    return Problem(
        "yaml-multiple-documents",
        "the file holds more than one YAML document",
        "keep one document per file: remove the '---' separator and what follows",
        mark.line + 1 if mark is not None else 1,
        mark.column + 1 if mark is not None else 1,
    )


def line_and_column(text: str, index: int) -> tuple[int, int]:
    """Where ``text[index]`` is (1-based), counting CRLF, CR and LF as line breaks as both composers'
    marks do (libyaml also breaks lines at NEL, LS and PS, but files holding them are composed,
    and located, by ruamel.yaml, which does not)."""
    lines = text[:index].replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return len(lines), len(lines[-1]) + 1
