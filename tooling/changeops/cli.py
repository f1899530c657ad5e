"""The command line: parse arguments, call one core function, render, return an exit code.

Exit codes: 0 clean, 1 findings of severity error, 2 usage or configuration error,
3 internal error (a short message; the traceback only with --debug).
"""

from __future__ import annotations

import json
import sys
import traceback
from datetime import datetime, timedelta
from enum import Enum
from importlib.metadata import EntryPoint
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from changeops.approvals.commands import register as register_approvals
from changeops.errors import ChangeopsError, UsageError
from changeops.execute.commands import register as register_execute
from changeops.gate.policy_commands import register as register_policy_approvals
from changeops.render import CheckFormat, Format, check_markdown, render_report
from changeops.secrets.commands import register as register_secrets

EXIT_CLEAN, EXIT_FINDINGS, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 3

app = typer.Typer(add_completion=False, no_args_is_help=True, pretty_exceptions_enable=False,
                  help="GitOps change management and runbooks for network operations.")
register_approvals(app)
register_policy_approvals(app)
register_execute(app)
register_secrets(app)
out = Console(highlight=False, soft_wrap=True)
err = Console(stderr=True, highlight=False, soft_wrap=True)
_debug = False


@app.callback()
def _options(
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks of internal errors.")] = False,
) -> None:
    global _debug
    _debug = debug


RepoOption = Annotated[Path | None, typer.Option("--repo", help="Repository root (default: found from the "
                                                                  "current folder).")]


def _estate(repo: Path | None):  # noqa: ANN202 - imported lazily to keep start-up fast
    from changeops.estate.layout import Estate

    return Estate.find(repo or Path.cwd())


@app.command()
def validate(
    paths: Annotated[list[Path] | None, typer.Argument(help="Records, folders or files; default the whole repo.")]
    = None,
    fmt: Annotated[Format, typer.Option("--format", "-f", help="text, json or github annotations.")] = Format.TEXT,
    no_cache: Annotated[bool, typer.Option("--no-cache", help="Check every file again.")] = False,
    repo: RepoOption = None,
) -> None:
    """Check change records, runbooks and the inventory; every problem with file, line and a hint."""
    from changeops.validation.validate import validate as run_validate

    estate = _estate(repo if repo else (paths[0] if paths else None))
    report = run_validate(estate, paths or [], use_cache=not no_cache)
    render_report(report, fmt, out)
    raise typer.Exit(EXIT_CLEAN if report.clean else EXIT_FINDINGS)


@app.command()
def check(
    base: Annotated[str, typer.Option("--base", help="The branch the pull request merges into, e.g. origin/main.")],
    head: Annotated[str | None, typer.Option("--head", help="The pull request's commit (default: the working "
                                                               "tree).")] = None,
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


@app.command()
def new(
    change_type: Annotated[str, typer.Argument(metavar="TYPE", help="patch, upgrade, drill, device-move or emergency.")],
    change_id: Annotated[str, typer.Option("--id", help="CHG-YYYYMMDD-<slug>, dated by the window's start.")],
    targets: Annotated[str, typer.Option("--targets", help="Comma-separated inventory hosts and/or groups.")],
    window: Annotated[str | None, typer.Option("--window", help="START/END in ISO 8601 with offsets.")] = None,
    title: Annotated[str | None, typer.Option("--title", help="Title in English.")] = None,
    customer: Annotated[str | None, typer.Option("--customer", help="Default: the targets' customer.")] = None,
    repo: RepoOption = None,
) -> None:
    """Write changes/<ID>/change.yaml with every required section; validate flags placeholders until filled."""
    from changeops.authoring.scaffold import NewChange, parse_window, write_new_change
    from changeops.estate.inventory import load_inventory

    estate = _estate(repo)
    request = NewChange(change_type, change_id, tuple(t.strip() for t in targets.split(",") if t.strip()),
                        parse_window(window) if window else None, title, customer)
    path = write_new_change(estate, request, load_inventory(estate))
    out.print(f"wrote {estate.relative(path)}; fill in the TODO values, then run: changeops validate "
              f"{estate.relative(path)}")


class CalendarFormat(str, Enum):
    TEXT = "text"
    JSON = "json"
    ICS = "ics"


@app.command()
def calendar(
    start: Annotated[datetime | None, typer.Option("--from", formats=["%Y-%m-%d"], help="First day (default: "
                                                                                          "today).")] = None,
    end: Annotated[datetime | None, typer.Option("--to", formats=["%Y-%m-%d"], help="Last day (default: 60 days "
                                                                                      "on).")] = None,
    customer: Annotated[str | None, typer.Option("--customer", help="Only this customer.")] = None,
    fmt: Annotated[CalendarFormat, typer.Option("--format", "-f", help="text, json or ics.")] = CalendarFormat.TEXT,
    repo: RepoOption = None,
) -> None:
    """Maintenance windows, freezes and changes over a date range; `--format ics` is a subscribable feed."""
    from changeops.policy.calendar_feed import calendar_entries, to_ics
    from changeops.policy.engine import read_policies
    from changeops.policy.files import DirectorySource

    estate = _estate(repo)
    first = (start or datetime.now()).date()
    last = end.date() if end else first + timedelta(days=60)
    if last < first:
        raise UsageError("--to is before --from")
    policies = read_policies(DirectorySource(estate.policies))
    entries = calendar_entries(estate, policies, first, last, customer)
    if fmt is CalendarFormat.ICS:
        sys.stdout.buffer.write(to_ics(entries, f"changeops {customer or 'all customers'}"))
    elif fmt is CalendarFormat.JSON:
        out.out(json.dumps([e.as_json() for e in entries], ensure_ascii=False, indent=2), highlight=False)
    else:
        _print_calendar(entries, policies)


def _print_calendar(entries, policies) -> None:  # noqa: ANN001
    from zoneinfo import ZoneInfo

    table = Table("kind", "start", "end", "what", "detail")
    for e in entries:
        zone = ZoneInfo(policies.customers[e.customer].zone) if e.customer in policies.customers else None
        table.add_row(e.kind, f"{e.start.astimezone(zone):%Y-%m-%d %a %H:%M}", f"{e.end.astimezone(zone):%m-%d %H:%M}",
                      escape(e.title), escape(e.detail))
    out.print(table)


@app.command()
def schema() -> None:
    """Print the JSON Schema of a change record (for editors and other tools)."""
    from changeops.records.model import json_schema

    out.out(json.dumps(json_schema(), ensure_ascii=False, indent=2), highlight=False)


@app.command()
def show(
    change_id: Annotated[str, typer.Argument(metavar="ID")],
    language: Annotated[str, typer.Option("--lang", help="zh or en, for bilingual text.")] = "en",
    repo: RepoOption = None,
) -> None:
    """Print a readable summary of one change, with its validation findings."""
    from changeops.authoring.show import load_summary
    from changeops.execute.state import change_state

    estate = _estate(repo)
    summary = load_summary(estate, change_id, language)
    summary.facts.insert(0, ("state", change_state(estate, change_id)))
    _print_summary(summary)
    raise typer.Exit(EXIT_CLEAN if not any(f.severity.value == "error" for f in summary.findings)
                     else EXIT_FINDINGS)


def _print_summary(summary) -> None:  # noqa: ANN001
    out.rule(f"[bold]{summary.heading}")
    facts = Table.grid(padding=(0, 2))
    for label, value in summary.facts + summary.section:
        facts.add_row(f"[bold]{label}[/]", value)
    out.print(facts)
    steps = Table("step", "playbook", "vars", title="plan", title_justify="left")
    for row in summary.steps:
        steps.add_row(*row)
    out.print(steps)
    for f in summary.findings:
        out.print(f"[red]{f.severity.value}[/] line {f.line}: {escape(f'[{f.rule}] {f.message} — hint: {f.hint}')}")
    if not summary.findings:
        out.print("[green]valid[/]")


# -- command groups of other distributions ---------------------------------------------------
# `changeops lab` comes from the changeops-lab distribution (tooling/changeops_lab), found through
# this entry point group, so a production install carries neither the simulator nor asyncssh.

COMMAND_GROUP = "changeops.commands"
LAB_MISSING = ("the device lab is not installed; in a changeops checkout, install it next to changeops with "
               "`pip install -e tooling/changeops_lab` (scripts/setup.sh does)")


def mount_command_groups(target: typer.Typer) -> None:
    """Mount each Typer app registered under ``changeops.commands``; ``lab`` answers even when absent."""
    from importlib.metadata import entry_points

    mounted: set[str] = set()
    for entry in entry_points(group=COMMAND_GROUP):
        problem = _mount(target, entry)
        if problem:
            _mount_unavailable(target, entry.name, problem)
        mounted.add(entry.name)
    if "lab" not in mounted:
        _mount_unavailable(target, "lab", LAB_MISSING)


def _mount(target: typer.Typer, entry: EntryPoint) -> str | None:
    """Mount one registered group; returns why it could not be mounted, or None."""
    try:
        group = entry.load()
    except Exception as error:  # a broken add-on must not take down every other command
        return f"`{entry.value}` could not be loaded ({type(error).__name__}: {error}); reinstall it"
    if not isinstance(group, typer.Typer):
        return f"`{entry.value}` is not a Typer app"
    target.add_typer(group, name=entry.name)
    return None


def _mount_unavailable(target: typer.Typer, name: str, problem: str) -> None:
    """A stand-in command that takes any arguments and explains why the real one is missing (exit 2)."""
    settings = {"allow_extra_args": True, "ignore_unknown_options": True, "help_option_names": []}

    @target.command(name, context_settings=settings, help=f"Not available: {problem}.")
    def unavailable() -> None:
        raise UsageError(f"changeops {name}: {problem}")


mount_command_groups(app)


def main(argv: list[str] | None = None) -> int:
    """Entry point: run the app, map errors to exit codes, never show a raw traceback by default."""
    try:
        code = app(args=argv, standalone_mode=False)
        return code if isinstance(code, int) else EXIT_CLEAN
    except typer.Exit as done:
        return done.exit_code
    except ChangeopsError as problem:
        err.print(f"[red]error:[/] {problem}", markup=True)
        return problem.exit_code
    except (typer.BadParameter, typer.Abort) as problem:
        err.print(f"error: {problem}", markup=False)
        return EXIT_USAGE
    except Exception as problem:  # the one place that turns a bug into a short message and exit 3
        import click

        if isinstance(problem, click.ClickException):
            problem.show(file=sys.stderr)
            return EXIT_USAGE
        if _debug or "--debug" in (argv or sys.argv):
            traceback.print_exc()
        else:
            err.print(f"internal error: {type(problem).__name__}: {problem} (rerun with --debug for details)",
                      markup=False)
        return EXIT_INTERNAL
