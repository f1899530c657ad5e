"""The pull-request gate: check."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from changeops.cli.common import EXIT_CLEAN, EXIT_FINDINGS, RepoOption, epilog, out
from changeops.render import CheckFormat, Format, check_markdown, render_report


def register(app: typer.Typer) -> None:
    """Add this group's commands to ``app``."""
    app.command(short_help="The pull-request gate.",
                epilog=epilog("changeops check --base origin/main --format markdown > report.md"))(check)


def check(
    base: Annotated[str, typer.Option("--base", metavar="REF", help="The branch the pull request merges into, "
                                                                     "e.g. origin/main.")],
    head: Annotated[str | None, typer.Option("--head", metavar="REF", help="The pull request's commit (default: "
                                                                            "the working tree).")] = None,
    fmt: Annotated[CheckFormat, typer.Option("--format", "-f", help="text, json, github or markdown (the PR "
                                                                    "comment).")] = CheckFormat.TEXT,
    repo: RepoOption = None,
) -> None:
    """The pull-request gate: validate changed records and judge them by the base branch's policies."""
    from changeops.gate.check import check_pull_request

    outcome = check_pull_request(repo or Path.cwd(), base_ref=base, head_ref=head)
    if fmt is CheckFormat.MARKDOWN:
        out.out(check_markdown(outcome), highlight=False)
    else:
        render_report(outcome.report, Format(fmt.value), out)
    raise typer.Exit(EXIT_CLEAN if outcome.report.clean else EXIT_FINDINGS)
