"""CLI commands of execution: run, apply, runs. Registered on the main app by ``register``."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

out = Console(highlight=False, soft_wrap=True)
RESULT_STYLE = {"completed": "green", "checked": "green", "rolled-back": "yellow", "failed": "red",
                "interrupted": "red"}

RepoOption = Annotated[Path | None, typer.Option("--repo", help="Repository root (default: found from the "
                                                                  "current folder).")]
AtOption = Annotated[str | None, typer.Option("--at", help="Lab runs only: judge the window and freezes as if it "
                                                             "were this time (ISO 8601 with offset); recorded in "
                                                             "the run's summary.")]
TrustedOption = Annotated[str | None, typer.Option("--trusted-ref", help="The ref whose content runs (default: "
                                                                         "origin/main after a fetch, else main).")]
NodeOption = Annotated[str | None, typer.Option("--node", help="Run on this execution node of policies/nodes.yml "
                                                                 "(SSH key in CHANGEOPS_NODE_SSH_KEY); with apply, "
                                                                 "take only the changes it serves.")]


def register(app: typer.Typer) -> None:
    app.command()(run)
    app.command()(apply)
    app.command()(runs)
    app.command()(unlock)


def _estate(repo: Path | None):
    from changeops.estate.layout import Estate

    return Estate.find(repo or Path.cwd())


def _moment(at: str | None) -> datetime | None:
    if at is None:
        return None
    try:
        moment = datetime.fromisoformat(at)
    except ValueError:
        raise typer.BadParameter(f"--at {at!r} is not an ISO 8601 time, e.g. 2026-12-08T01:00:00+08:00") from None
    if moment.tzinfo is None:
        raise typer.BadParameter("--at needs a UTC offset, e.g. 2026-12-08T01:00:00+08:00")
    return moment.astimezone(UTC)


def run(
    change_id: Annotated[str, typer.Argument(metavar="ID")],
    check: Annotated[bool, typer.Option("--check", help="Ansible check mode with diff for implementation and "
                                                        "rollback; changes no device, needs no approval.")] = False,
    inventory: Annotated[list[Path] | None, typer.Option("--inventory", help="An inventory overlay used after "
                                                                                "inventory/ (e.g. .lab/inventory.yml)"
                                                            )] = None,
    at: AtOption = None,
    trusted_ref: TrustedOption = None,
    branch_playbooks: Annotated[bool, typer.Option(
        "--branch-playbooks", help="With --check against the lab: preview this branch's own playbooks (no "
                                   "device credentials or vault password reach them).")] = False,
    node: NodeOption = None,
    repo: RepoOption = None,
) -> None:
    """Run one change through precheck, backup, implementation and verification (rollback on failure)."""
    from changeops.execute.pipeline import run_change
    from changeops.execute.recovery import recover_interrupted

    estate = _estate(repo)
    _report_recovered(recover_interrupted(estate))
    outcome = run_change(estate, change_id, at=_moment(at), check=check,
                         overlays=[p.resolve() for p in inventory or []], trusted_ref=trusted_ref,
                         branch_playbooks=branch_playbooks, node=node)
    _print_outcome(outcome)
    raise typer.Exit(0 if outcome.ok else 1)


def apply(
    due: Annotated[bool, typer.Option("--due", help="Run every approved change whose window is open now.")] = False,
    inventory: Annotated[list[Path] | None, typer.Option("--inventory", help="An inventory overlay.")] = None,
    at: AtOption = None,
    trusted_ref: TrustedOption = None,
    node: NodeOption = None,
    customer: Annotated[str | None, typer.Option("--customer", help="Take only this customer's changes.")] = None,
    repo: RepoOption = None,
) -> None:
    """Run every change that is approved, in its window, not frozen and not yet run (or this runner's share)."""
    from changeops.execute.apply import Share, apply_due
    from changeops.execute.recovery import recover_interrupted

    if not due:
        raise typer.BadParameter("say which changes: --due")
    estate = _estate(repo)
    _report_recovered(recover_interrupted(estate))
    outcomes = apply_due(estate, at=_moment(at), overlays=[p.resolve() for p in inventory or []],
                         trusted_ref=trusted_ref, share=Share(node=node, customer=customer))
    if not outcomes:
        out.print("no change is due" + (f" in this runner's share ({_share(node, customer)})" if node or customer
                                        else ""))
    for outcome in outcomes:
        _print_outcome(outcome)
    raise typer.Exit(0 if all(o.ok for o in outcomes) else 1)


def _share(node: str | None, customer: str | None) -> str:
    return ", ".join(part for part in (f"node {node}" if node else "", f"customer {customer}" if customer else "")
                     if part)


def runs(
    change_id: Annotated[str, typer.Argument(metavar="ID")],
    repo: RepoOption = None,
) -> None:
    """List a change's runs (newest last) and its derived state."""
    from changeops.execute.run_record import read_summaries
    from changeops.execute.state import change_state

    estate = _estate(repo)
    table = Table("run", "started", "finished", "result", "stages", "operator", title=change_id, title_justify="left")
    for summary in read_summaries(estate, change_id):
        result = summary.result.value
        stages = " → ".join(stage.name for stage in summary.stages)
        table.add_row(summary.run, f"{summary.started:%Y-%m-%d %H:%M:%S}Z", f"{summary.finished:%Y-%m-%d %H:%M:%S}Z",
                      f"[{RESULT_STYLE.get(result, '')}]{result}[/]", escape(stages), escape(summary.operator))
    out.print(table)
    out.print(f"state: {change_state(estate, change_id)}")


def unlock(
    host: Annotated[str, typer.Argument(metavar="HOST", help="The device whose lock to release.")],
    reason: Annotated[str, typer.Option("--reason", help="Why (committed with the release).")] = "",
    repo: RepoOption = None,
) -> None:
    """Release a device's lock by hand, for a runner that cannot be closed out otherwise; the reason is committed.

    Example: changeops unlock sy-dc1-core-r1 --reason "runner host lost, devices checked by hand"

    Exit codes: 0 released, 2 not locked or no reason.
    """
    from changeops.execute.lost_runs import unlock as release

    sha = release(_estate(repo), host, reason=reason)
    out.print(f"released the lock on {escape(host)}; recorded in commit {sha[:10]}")


def _report_recovered(recovered) -> None:
    for item in recovered:
        if item.leaked:
            out.print(f"[red]interrupted run {item.run} of {item.change}: a known secret is in "
                      f"{escape(', '.join(item.leaked))}; not committed[/]")
        else:
            out.print(f"closed out interrupted run {item.run} of {item.change} (commit {str(item.committed)[:10]})")


def _print_outcome(outcome) -> None:
    for warning in outcome.warnings:
        out.print(f"[yellow]warning:[/] {escape(_where(warning))}{escape(warning.message)}")
    if outcome.refused:
        out.print(f"[red]refused:[/] {outcome.change} was not run; nothing was executed or changed")
        for finding in outcome.refused:
            out.print(f"  - {escape(_where(finding))}\\[{finding.rule}] {escape(finding.message)}")
            out.print(f"    hint: {escape(finding.hint)}")
        return
    result = outcome.result.value if outcome.result else "failed"
    what = "check" if outcome.check else "run"
    out.print(f"{what} {outcome.run_id} of {outcome.change}: [{RESULT_STYLE.get(result, '')}]{result}[/]")
    for stage in outcome.stages:
        hosts = ", ".join(f"{h} {s}" for h, s in sorted(stage.hosts.items()))
        out.print(f"  {stage.name}: {escape(hosts)}")
    if outcome.folder is not None:
        out.print(f"  record: {outcome.folder}")
    if outcome.commit:
        out.print(f"  commit {outcome.commit[:10]}{' (pushed)' if outcome.pushed else ''}")
    for note in outcome.notes:
        out.print(f"  [yellow]{escape(note)}[/]")


def _where(finding) -> str:
    return f"{finding.file}:{finding.line}: " if finding.file else ""
