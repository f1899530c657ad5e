"""Execution: run, apply, runs."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.markup import escape

from changeops.cli.common import EXIT_CLEAN, EXIT_FINDINGS, RepoOption, epilog, err, estate, out, print_table

if TYPE_CHECKING:
    from changeops.execute.pipeline import RunOutcome
    from changeops.execute.recovery import Recovered
    from changeops.findings import Finding

PATCH = "CHG-20261208-core-smu-snmp"
RESULT_STYLE = {"completed": "green", "checked": "green", "rolled-back": "yellow", "failed": "red",
                "interrupted": "red"}

AtOption = Annotated[str | None, typer.Option("--at", metavar="TIME", help="Lab runs only: judge the window and "
                                              "freezes as if it were this time (ISO 8601 with offset); recorded in "
                                              "the run's summary.")]
TrustedOption = Annotated[str | None, typer.Option("--trusted-ref", metavar="REF", help="The ref whose content runs "
                                                   "(default: origin/main after a fetch, else main).")]
NodeOption = Annotated[str | None, typer.Option("--node", metavar="NAME", help="Run on this execution node of "
                                                "policies/nodes.yml (SSH key in CHANGEOPS_NODE_SSH_KEY); with "
                                                "apply, take only the changes it serves.")]


def register(app: typer.Typer) -> None:
    """Add this group's commands to ``app``."""
    app.command(short_help="Run one change, or preview it (--check).",
                epilog=epilog(f"changeops run {PATCH} --check --inventory .lab/inventory.yml",
                              f"changeops run {PATCH} --inventory .lab/inventory.yml "
                              "--at 2026-12-08T01:00:00+08:00"))(run)
    app.command(short_help="Run every change that is due now.", epilog=epilog("changeops apply --due"))(apply)
    app.command(short_help="A change's runs and its state.", epilog=epilog(f"changeops runs {PATCH}"))(runs)
    app.command(short_help="Release a device's lock by hand.",
                epilog=epilog('changeops unlock sy-dc1-core-r1 --reason "runner host lost, devices checked by hand"'))(
        unlock)
    app.command("node-setup", short_help="What to install on an execution node: its key line and the tether.",
                epilog=epilog("changeops node-setup sy-node1 --public-key controller.pub >> authorized_keys",
                              "changeops node-setup sy-node1 --tether > changeops-tether"))(node_setup)


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
    check: Annotated[bool, typer.Option("--check", help="A preview: the trusted ref's playbooks in check mode "
                                                        "with diff, this branch's record as data; changes no "
                                                        "device, needs no approval.")] = False,
    inventory: Annotated[list[Path] | None, typer.Option("--inventory", metavar="OVERLAY", help="An inventory "
                                                         "overlay used after inventory/ (e.g. .lab/inventory.yml)."
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

    found = estate(repo)
    _report_recovered(recover_interrupted(found))
    outcome = run_change(found, change_id, at=_moment(at), check=check,
                         overlays=[p.resolve() for p in inventory or []], trusted_ref=trusted_ref,
                         branch_playbooks=branch_playbooks, node=node)
    _print_outcome(outcome, found.root)
    raise typer.Exit(EXIT_CLEAN if outcome.ok else EXIT_FINDINGS)


def apply(
    due: Annotated[bool, typer.Option("--due", help="Run every approved change whose window is open now.")] = False,
    inventory: Annotated[list[Path] | None, typer.Option("--inventory", metavar="OVERLAY",
                                                         help="An inventory overlay.")] = None,
    at: AtOption = None,
    trusted_ref: TrustedOption = None,
    node: NodeOption = None,
    customer: Annotated[str | None, typer.Option("--customer", metavar="ID",
                                                 help="Take only this customer's changes.")] = None,
    repo: RepoOption = None,
) -> None:
    """Run every change that is approved, in its window, not frozen and not yet run (or this runner's share)."""
    from changeops.execute.apply import Share, apply_due
    from changeops.execute.recovery import recover_interrupted

    if not due:
        raise typer.BadParameter("say which changes: --due")
    found = estate(repo)
    _report_recovered(recover_interrupted(found))
    outcomes = apply_due(found, at=_moment(at), overlays=[p.resolve() for p in inventory or []],
                         trusted_ref=trusted_ref, share=Share(node=node, customer=customer))
    if not outcomes:
        out.print("no change is due" + (f" in this runner's share ({_share(node, customer)})" if node or customer
                                        else ""))
    for outcome in outcomes:
        _print_outcome(outcome)
    raise typer.Exit(EXIT_CLEAN if all(o.ok for o in outcomes) else EXIT_FINDINGS)


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

    found = estate(repo)
    rows = []
    for summary in read_summaries(found, change_id):
        result = summary.result.value
        stages = " → ".join(stage.name for stage in summary.stages)
        rows.append((escape(summary.run), f"{summary.started:%Y-%m-%d %H:%M:%S}Z",
                     f"{summary.finished:%Y-%m-%d %H:%M:%S}Z", f"[{RESULT_STYLE.get(result, '')}]{escape(result)}[/]",
                     escape(stages), escape(summary.operator)))
    print_table(out, ("run", "started", "finished", "result", "stages", "operator"), rows, title=change_id)
    out.print(f"state: {change_state(found, change_id)}")


def unlock(
    host: Annotated[str, typer.Argument(metavar="HOST", help="The device whose lock to release.")],
    reason: Annotated[str, typer.Option("--reason", metavar="TEXT", help="Why (committed with the release).")]
    = "",
    repo: RepoOption = None,
) -> None:
    """Release a device's lock by hand, for a runner that cannot be closed out otherwise; the reason is committed."""
    from changeops.execute.lost_runs import unlock as release

    sha = release(estate(repo), host, reason=reason)
    out.print(f"released the lock on {escape(host)}; recorded in commit {sha[:10]}")


def node_setup(
    name: Annotated[str, typer.Argument(metavar="NAME", help="A node of policies/nodes.yml.")],
    public_key: Annotated[Path | None, typer.Option("--public-key", metavar="FILE", help="The controller key's "
                                                    "public half: print the node's authorized_keys line for it.")]
    = None,
    tether: Annotated[bool, typer.Option("--tether", help="Print the tether to install as "
                                         "<bin_dir>/changeops-tether.")] = False,
    repo: RepoOption = None,
) -> None:
    """Print what node NAME needs: the authorized_keys line that lets the controller's key run the worker (below
    the tether) and nothing else, or the tether itself. See docs/developers/nodes.md."""
    from changeops.errors import UsageError
    from changeops.execute.backends.local import TETHER
    from changeops.execute.backends.node import NODE_TETHER, authorized_keys_line
    from changeops.execute.nodes import read_nodes

    if tether == (public_key is not None):
        raise UsageError("give one of --public-key FILE (the authorized_keys line) and --tether (the tether)")
    nodes, findings = read_nodes(estate(repo).policies)
    if findings:
        first = findings[0]
        raise UsageError(f"{first.file}:{first.line}: {first.message}; run `changeops validate policies/`")
    node = next((n for n in nodes.nodes if n.name == name), None)
    if node is None:
        known = ", ".join(n.name for n in nodes.nodes) or "none"
        raise UsageError(f"no SSH execution node {name!r} in policies/nodes.yml (its SSH nodes: {known})")
    if tether:
        typer.echo(TETHER.read_text(encoding="utf-8"), nl=False)
        err.print(f"install it on {escape(name)} as {escape(node.bin_dir)}/{NODE_TETHER} (mode 0644); it runs "
                  f"with {escape(node.python)}")
        return
    assert public_key is not None
    try:
        line = authorized_keys_line(node, public_key.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as error:
        raise UsageError(f"--public-key {public_key}: {error}") from None
    typer.echo(line, nl=False)
    err.print(f"append it to {escape(node.user)}'s ~/.ssh/authorized_keys on {escape(name)}; the worker runs below "
              f"{escape(node.bin_dir)}/{NODE_TETHER} (`changeops node-setup {escape(name)} --tether`)")


def _report_recovered(recovered: list[Recovered]) -> None:
    for item in recovered:
        if item.leaked:
            out.print(f"[red]interrupted run {item.run} of {item.change}: a known secret is in "
                      f"{escape(', '.join(item.leaked))}; not committed[/]")
        elif item.already_recorded:
            out.print(f"released the locks of run {item.run} of {item.change}: the remote holds its record")
        elif item.locks_kept:
            out.print(f"[yellow]lost run {item.run} of {item.change}: its record is not on the remote yet (push "
                      "failed); its locks stay until it is, the next run or apply retries[/]")
        else:
            out.print(f"closed out interrupted run {item.run} of {item.change} (commit {str(item.committed)[:10]})")


def _print_outcome(outcome: RunOutcome, source_root: Path | None = None) -> None:
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
    if outcome.check and outcome.folder is not None:
        _print_preview(outcome.folder, source_root)
    if outcome.folder is not None:
        out.print(f"  record: {outcome.folder}")
    if outcome.commit:
        out.print(f"  commit {outcome.commit[:10]}{' (pushed)' if outcome.pushed else ''}")
    for note in outcome.notes:
        out.print(f"  [yellow]{escape(note)}[/]")


PREVIEW_STYLE = {"would change": "yellow", "not previewable": "magenta", "failed": "red", "unreachable": "red"}


def _print_preview(folder: Path, source_root: Path | None) -> None:
    """Each task of the check with what it would do; hosts with the same verdict share a row."""
    from changeops.execute.task_preview import task_previews

    rows: dict[tuple[str, str, str, str], list[str]] = {}
    previews = task_previews(folder, source_root)
    for item in previews:
        if item.verdict != "skipped":  # a branch the plan does not take (e.g. another rollback action)
            rows.setdefault((item.stage, item.task, item.verdict, item.detail), []).append(item.host)
    table_rows = [(stage, escape(task), escape(", ".join(sorted(hosts))),
                   _styled(verdict, PREVIEW_STYLE.get(verdict)) + (f": {escape(detail)}" if detail else ""))
                  for (stage, task, verdict, detail), hosts in rows.items()]
    if table_rows:
        print_table(out, ("stage", "task", "hosts", "preview"), table_rows, title="preview, task by task")
    skipped = len({(p.stage, p.task) for p in previews if p.verdict == "skipped"})
    if skipped:
        out.print(f"  {skipped} task(s) not on this plan's path were skipped by their conditions")


def _styled(text: str, style: str | None) -> str:
    return f"[{style}]{escape(text)}[/]" if style else escape(text)


def _where(finding: Finding) -> str:
    return f"{finding.file}:{finding.line}: " if finding.file else ""
