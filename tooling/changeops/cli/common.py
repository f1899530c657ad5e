"""What every command group shares: exit codes, consoles, the --repo option, help text and tables that fit."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.cells import cell_len
from rich.console import Console
from rich.table import Table
from rich.text import Text

if TYPE_CHECKING:
    from changeops.estate.layout import Estate

EXIT_CLEAN, EXIT_FINDINGS, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 3
EXIT_CODES = "Exit codes: 0 clean, 1 findings or refused, 2 usage error, 3 internal error (--debug shows why)."

# soft_wrap: a finding or a path stays on one line (the terminal wraps it), so it can be searched and copied.
out = Console(highlight=False, soft_wrap=True)
err = Console(stderr=True, highlight=False, soft_wrap=True)

LONGEST_UNBROKEN = 32  # cells: a longer word or unspaced Chinese text may be folded
NARROWEST = 16  # cells: a column is not squeezed below this to keep a table; the rows become blocks instead
KEEP_WHOLE = 24  # cells: a column whose longest word fits in this is never squeezed (IDs stay unbroken)

RepoOption = Annotated[Path | None, typer.Option("--repo", metavar="PATH",
                                                 help="Repository root (default: found from the current folder).")]


def estate(repo: Path | None) -> Estate:
    """The estate at ``repo``, or the one the current folder is in."""
    from changeops.estate.layout import Estate  # imported lazily to keep start-up fast

    return Estate.find(repo or Path.cwd())


def epilog(*examples: str) -> str:
    """The end of a command's --help: examples to copy, then the exit codes.

    Click rewraps paragraphs; a paragraph that starts with a backspace line keeps its lines as written.
    """
    lines = "\n".join(f"  $ {example}" for example in examples)
    return f"\b\nExample{'s' if len(examples) > 1 else ''}:\n{lines}\n\n{EXIT_CODES}"


def print_table(console: Console, headers: tuple[str, ...], rows: Sequence[tuple[str, ...]], *,
                title: str | None = None) -> None:
    """Print ``rows`` (rich markup allowed) as a table that fits the console, never cutting a value off.

    Cells wrap between words; a long word is folded only in a column squeezed to fit. When the columns do
    not fit side by side even so, each row is printed as a block of label/value lines instead.
    """
    wanted = [max([_word_width(word) for row in rows for word in Text.from_markup(row[i]).plain.split()]
                  + [cell_len(header)]) for i, header in enumerate(headers)]
    widths = _fit(wanted, console.width - 3 * len(headers) - 1)
    if widths is not None:
        grid = Table(title=title, title_justify="left")
        for header, width in zip(headers, widths, strict=True):
            grid.add_column(header, overflow="fold", min_width=width)
        for row in rows:
            grid.add_row(*row)
        console.print(grid)
        return
    if title:
        console.print(title)
    for row in rows:
        block = facts_grid()
        for header, value in zip(headers, row, strict=True):
            block.add_row(f"[bold]{header}[/]", value)
        console.print(block, "")


def _fit(wanted: list[int], budget: int) -> list[int] | None:
    """Column widths within ``budget``, or None. The widest columns give way first, none below NARROWEST,
    and a column whose longest word is short (an ID, a time) never gives way: it would be folded mid-word."""
    widths = list(wanted)
    floors = [width if width <= KEEP_WHOLE else NARROWEST for width in wanted]
    while sum(widths) > budget:
        squeezable = [i for i, width in enumerate(widths) if width > floors[i]]
        if not squeezable:
            return None
        widest = max(squeezable, key=widths.__getitem__)
        widths[widest] -= 1
    return widths


def _word_width(word: str) -> int:
    # Chinese text has no spaces to wrap at but may break between any two characters: cap what it asks for.
    return min(cell_len(word), LONGEST_UNBROKEN)


def facts_grid() -> Table:
    """Two columns, label and value, without borders; long values (Chinese too) wrap, never truncated."""
    grid = Table.grid(padding=(0, 2))
    grid.add_column(no_wrap=True)
    grid.add_column(overflow="fold")
    return grid
