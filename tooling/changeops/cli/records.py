"""Commands on change records: validate, new, show, schema."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.markup import escape

from changeops.cli.common import (
    EXIT_CLEAN,
    EXIT_FINDINGS,
    RepoOption,
    epilog,
    estate,
    facts_grid,
    out,
    print_table,
)
from changeops.render import Format, render_report

if TYPE_CHECKING:
    from changeops.authoring.summary import Summary

PATCH = "CHG-20261208-core-smu-snmp"


def register(app: typer.Typer) -> None:
    """Add this group's commands to ``app``."""
    app.command(short_help="Check records, runbooks, inventory, policies.",
                epilog=epilog("changeops validate", f"changeops validate changes/{PATCH} --format json"))(validate)
    app.command(short_help="Write a new change record to fill in.",
                epilog=epilog("changeops new patch --id CHG-20261222-core-smu --targets core_routers "
                              "--window 2026-12-22T00:30+08:00/2026-12-22T04:30+08:00"))(new)
    app.command(short_help="One change, its state and findings.",
                epilog=epilog(f"changeops show {PATCH} --lang en"))(show)
    app.command(short_help="The JSON Schema of a change record.",
                epilog=epilog("changeops schema > change.schema.json"))(schema)


def validate(
    paths: Annotated[list[Path] | None, typer.Argument(metavar="PATH",
                                                       help="Records, folders or files; default the whole repo.")]
    = None,
    fmt: Annotated[Format, typer.Option("--format", "-f", help="text, json or github annotations.")] = Format.TEXT,
    no_cache: Annotated[bool, typer.Option("--no-cache", help="Check every file again.")] = False,
    repo: RepoOption = None,
) -> None:
    """Check change records, runbooks and the inventory; every problem with file, line and a hint."""
    from changeops.validation.validate import validate as run_validate

    found = estate(repo if repo else (paths[0] if paths else None))
    report = run_validate(found, paths or [], use_cache=not no_cache)
    render_report(report, fmt, out)
    raise typer.Exit(EXIT_CLEAN if report.clean else EXIT_FINDINGS)


def new(
    change_type: Annotated[str, typer.Argument(metavar="TYPE", help="patch, upgrade, drill, device-move or "
                                                                    "emergency.")],
    change_id: Annotated[str, typer.Option("--id", metavar="ID", help="CHG-YYYYMMDD-<slug>, dated by the window's "
                                                                       "start.")],
    targets: Annotated[str, typer.Option("--targets", metavar="A,B", help="Comma-separated inventory hosts and/or "
                                                                            "groups.")],
    window: Annotated[str | None, typer.Option("--window", metavar="START/END", help="ISO 8601 times with "
                                                                                     "offsets.")] = None,
    title: Annotated[str | None, typer.Option("--title", metavar="TEXT", help="Title in English.")] = None,
    customer: Annotated[str | None, typer.Option("--customer", metavar="ID", help="Default: the targets' "
                                                                                  "customer.")] = None,
    repo: RepoOption = None,
) -> None:
    """Write changes/<ID>/change.yaml with every section; validate flags the TODO placeholders until filled."""
    from changeops.authoring.scaffold import NewChange, parse_window, write_new_change
    from changeops.estate.inventory import load_inventory

    found = estate(repo)
    request = NewChange(change_type, change_id, tuple(t.strip() for t in targets.split(",") if t.strip()),
                        parse_window(window) if window else None, title, customer)
    path = write_new_change(found, request, load_inventory(found))
    out.print(f"wrote {found.relative(path)}; fill in the TODO values, then run: changeops validate "
              f"{found.relative(path)}")


def schema() -> None:
    """Print the JSON Schema of a change record (for editors and other tools)."""
    from changeops.records.model import json_schema

    out.out(json.dumps(json_schema(), ensure_ascii=False, indent=2), highlight=False)


def show(
    change_id: Annotated[str, typer.Argument(metavar="ID")],
    language: Annotated[str | None, typer.Option("--lang", metavar="zh|en", help="Language of bilingual text "
                                                 "(default: the customer's, from policies/customers.yml).")] = None,
    repo: RepoOption = None,
) -> None:
    """Print a readable summary of one change with its state and validation findings."""
    from changeops.authoring.show import load_summary
    from changeops.execute.state import change_state
    from changeops.publish.labels import labels_for

    if language not in (None, "zh", "en"):
        raise typer.BadParameter(f"{language!r} is not zh or en", param_hint="'--lang'")
    found = estate(repo)
    summary = load_summary(found, change_id, language, words_for=labels_for,
                           state_of=lambda: change_state(found, change_id))
    _print_summary(summary)
    raise typer.Exit(EXIT_CLEAN if not any(f.severity.value == "error" for f in summary.findings)
                     else EXIT_FINDINGS)


def _print_summary(summary: Summary) -> None:
    out.rule(f"[bold]{escape(summary.heading)}")
    facts = facts_grid()
    for label, value in summary.facts + summary.section:
        facts.add_row(f"[bold]{escape(label)}[/]", escape(value))
    out.print(facts)
    out.print()
    print_table(out, summary.step_headers, [tuple(escape(cell) for cell in row) for row in summary.steps])
    for f in summary.findings:
        out.print(f"[red]{f.severity.value}[/] line {f.line}: {escape(f'[{f.rule}] {f.message} — hint: {f.hint}')}")
    if not summary.findings:
        out.print("[green]valid[/]")
