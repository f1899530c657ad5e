"""The command line: parse arguments, call one core function, render, return an exit code.

Exit codes: 0 clean, 1 findings of severity error (or a refused run, an unmet quorum), 2 usage or
configuration error, 3 internal error (a short message; the traceback only with --debug).

Each command group is a module with a ``register(app)`` function; adding a group is one import and
one entry in ``GROUPS``.
"""

from __future__ import annotations

import sys
import traceback
from typing import Annotated

import typer

from changeops.cli import approvals, calendar, duty, execute, gate, lab, policy, records, secrets
from changeops.cli.common import EXIT_CLEAN, EXIT_CODES, EXIT_INTERNAL, err
from changeops.cli.lab import mount_command_groups
from changeops.errors import ChangeopsError

__all__ = ["app", "main", "mount_command_groups"]

# Each module's register(app) adds its commands; lab mounts the groups of other distributions.
GROUPS = (records, gate, approvals, policy, execute, calendar, duty, secrets, lab)

# rich_markup_mode=None: plain help, so a flag reads `--check` and not `--check <bool>`.
app = typer.Typer(no_args_is_help=True, pretty_exceptions_enable=False, rich_markup_mode=None,
                  help="GitOps change management and runbooks for network operations.",
                  epilog=f"\b\nExample:\n  $ changeops validate\n\n{EXIT_CODES}")
_debug = False


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("changeops")
    except PackageNotFoundError:  # run from a source tree that is not installed
        from changeops import __version__

        return __version__


def _print_version(wanted: bool) -> None:
    if wanted:
        typer.echo(f"changeops {_version()}")
        raise typer.Exit(EXIT_CLEAN)


@app.callback()
def _options(
    debug: Annotated[bool, typer.Option("--debug", help="Show the traceback of an internal error.")] = False,
    version: Annotated[bool, typer.Option("--version", is_eager=True, callback=_print_version,
                                          help="Print the version and exit.")] = False,
) -> None:
    global _debug
    _debug = debug


for group in GROUPS:
    group.register(app)


def main(argv: list[str] | None = None) -> int:
    """Entry point: run the app, map errors to exit codes, never show a raw traceback by default.

    Typer reports usage errors itself (its message, exit 2); what a command raises is mapped here.
    """
    global _debug
    _debug = False
    try:
        app(args=argv, prog_name="changeops", standalone_mode=True)
    except SystemExit as done:  # typer ends every invocation with sys.exit, usage errors included
        return _exit_code(done.code)
    except ChangeopsError as problem:
        err.print(f"[red]error:[/] {problem}", markup=True)
        return problem.exit_code
    except Exception as problem:  # the one place that turns a bug into a short message and exit 3
        if _debug or "--debug" in (sys.argv if argv is None else argv):
            traceback.print_exc()
        else:
            err.print(f"internal error: {type(problem).__name__}: {problem} (rerun with --debug for details)",
                      markup=False)
        return EXIT_INTERNAL
    return EXIT_CLEAN


def _exit_code(code: object) -> int:
    if code is None:
        return EXIT_CLEAN
    if isinstance(code, int):
        return code
    err.print(str(code), markup=False)  # sys.exit("message") means failure with that message
    return EXIT_INTERNAL
