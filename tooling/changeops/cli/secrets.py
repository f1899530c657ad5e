"""Secrets: ``changeops secrets scan``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from changeops.cli.common import EXIT_CLEAN, EXIT_FINDINGS, RepoOption, epilog

secrets_app = typer.Typer(no_args_is_help=True, rich_markup_mode=None,
                          help="Find secrets in a repository's run records and history.")


@secrets_app.command("scan", short_help="Find known secrets in run records and history.",
                     epilog=epilog("changeops secrets scan --history --exclude 'tests/*'"))
def scan(
    history: Annotated[bool, typer.Option("--history", help="Every blob in the whole git history, not only "
                                                            "the committed run records and device archive.")] = False,
    exclude: Annotated[list[str] | None, typer.Option("--exclude", metavar="GLOB", help="Leave out paths matching "
                                                      "this glob (repeatable), e.g. 'tests/*'.")] = None,
    repo: RepoOption = None,
) -> None:
    """Scan for known secret values (raw, base64, URL, hex) and secret-shaped configuration lines; exit 1 on a hit."""
    from changeops.estate.layout import Estate
    from changeops.secrets.scan import scan_repository

    report = scan_repository(Estate.find(repo or Path.cwd()), history=history, exclude=exclude or [])
    for problem in report.problems:
        typer.echo(f"warning: {problem}", err=True)
    for finding in report.findings:
        typer.echo(str(finding))
    typer.echo(f"{report.scanned} files scanned, {len(report.findings)} findings", err=True)
    raise typer.Exit(EXIT_CLEAN if report.clean else EXIT_FINDINGS)


def register(app: typer.Typer) -> None:
    """Add ``changeops secrets ...`` to the main command line."""
    app.add_typer(secrets_app, name="secrets", short_help="Find secrets in run records and history.",
                  epilog=epilog("changeops secrets scan"))
