"""Approvals: approve, approvals, digest."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from changeops.cli.common import EXIT_CLEAN, EXIT_FINDINGS, RepoOption, epilog, estate, out, print_table

STATE_STYLE = {"valid": "green", "rejected": "bold red"}
PATCH = "CHG-20261208-core-smu-snmp"


def register(app: typer.Typer) -> None:
    """Add this group's commands to ``app``."""
    app.command(short_help="Sign an approval of the current plan.",
                epilog=epilog(f"changeops approve {PATCH} --key demo/approver-keys/chenjing --comment 同意"))(approve)
    app.command(short_help="Each approval's state; is the quorum met.",
                epilog=epilog(f"changeops approvals {PATCH}"))(approvals)
    app.command(short_help="The plan digest and the files it covers.",
                epilog=epilog(f"changeops digest {PATCH}"))(digest)


TrustedOption = Annotated[str | None, typer.Option("--trusted", metavar="REF", help="Ref whose "
                                                   "policies/approvers.yml judges (default: main).")]


def approve(
    change_id: Annotated[str, typer.Argument(metavar="ID")],
    reject: Annotated[bool, typer.Option("--reject", help="Record a rejection instead.")] = False,
    comment: Annotated[str, typer.Option("--comment", metavar="TEXT", help="Said with the decision.")] = "",
    key: Annotated[Path | None, typer.Option("--key", metavar="PATH", help="SSH private key (default: git's "
                                             "user.signingkey); a copy signs if its permissions are too open.")]
    = None,
    repo: RepoOption = None,
    trusted: TrustedOption = None,
) -> None:
    """Sign an approval of the change's current plan: changes/<ID>/approvals/<approver>.yaml."""
    from changeops.approvals.approve import approve as write_approval
    from changeops.approvals.approve import git_signing_key
    from changeops.approvals.status import trusted_policies

    found = estate(repo)
    policies, _ = trusted_policies(found, trusted)
    written = write_approval(found, change_id, key=key or git_signing_key(found), policies=policies, reject=reject,
                             comment=comment)
    out.print(f"wrote {found.relative(written)}; commit it to the change's pull request")


def approvals(
    change_id: Annotated[str, typer.Argument(metavar="ID")],
    repo: RepoOption = None,
    trusted: TrustedOption = None,
) -> None:
    """List each approval of a change with its state and why, and whether the quorum is met."""
    from changeops.approvals.status import approval_status

    status = approval_status(estate(repo), change_id, trusted_ref=trusted)
    rows = [(escape(item.approver), item.role or "-", item.decision,
             f"{item.time:%Y-%m-%d %H:%M}" if item.time else "-",
             f"[{STATE_STYLE.get(item.state, 'yellow')}]{item.state}[/]", escape(item.reason))
            for item in status.approvals]
    print_table(out, ("approver", "role", "decision", "time", "state", "why"), rows,
                title=f"{change_id} (plan {status.digest})")
    out.print(f"judged by policies of {escape(status.trusted)}")
    for line in status.pending:
        out.print(f"[yellow]pending:[/] {escape(line)}")
    if status.met:
        out.print("[bold green]quorum met[/] for the current plan")
    else:
        for reason in status.reasons:
            out.print(f"[bold red]quorum not met:[/] {escape(reason)}")
    raise typer.Exit(EXIT_CLEAN if status.met else EXIT_FINDINGS)


def digest(
    change_id: Annotated[str, typer.Argument(metavar="ID")],
    repo: RepoOption = None,
) -> None:
    """Print the plan digest an approval covers, with every file it covers."""
    from changeops.approvals.digest import plan_digest
    from changeops.estate.record_files import valid_record

    found = estate(repo)
    valid_record(found, change_id)
    result = plan_digest(found, change_id)
    out.print(result.value)
    for name in result.files:
        out.print(f"  {escape(name)}")
    out.print("  + the generated inventory of the targets (hosts, groups and their inline vars)")
    for finding in result.findings:
        out.print(f"[red]cannot be sealed:[/] {escape(finding.file)}:{finding.line}: \\[{finding.rule}] "
                  f"{escape(finding.message)}\n    hint: {escape(finding.hint)}")
    if not result.sealed:
        raise typer.Exit(EXIT_FINDINGS)
