"""CLI commands of approvals: approve, approvals, digest. Registered on the main app by ``register``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

out = Console(highlight=False, soft_wrap=True)
STATE_STYLE = {"valid": "green", "rejected": "bold red"}


def register(app: typer.Typer) -> None:
    app.command()(approve)
    app.command()(approvals)
    app.command()(digest)


RepoOption = Annotated[Path | None, typer.Option("--repo", help="Repository root (default: found from the "
                                                                  "current folder).")]
TrustedOption = Annotated[str | None, typer.Option("--trusted", help="Ref whose policies/approvers.yml judges "
                                                                       "(default: main).")]


def approve(
    change_id: Annotated[str, typer.Argument(metavar="ID")],
    reject: Annotated[bool, typer.Option("--reject", help="Record a rejection instead.")] = False,
    comment: Annotated[str, typer.Option("--comment", help="Said with the decision.")] = "",
    key: Annotated[Path | None, typer.Option("--key", help="SSH private key (default: git's "
                                                             "user.signingkey).")] = None,
    repo: RepoOption = None,
    trusted: TrustedOption = None,
) -> None:
    """Sign an approval of the change's current plan: changes/<ID>/approvals/<approver>.yaml."""
    from changeops.approvals.approve import approve as write_approval
    from changeops.approvals.status import trusted_policies

    estate = _estate(repo)
    policies, _ = trusted_policies(estate, trusted)
    written = write_approval(estate, change_id, key=key or _git_key(estate), policies=policies, reject=reject,
                             comment=comment)
    out.print(f"wrote {estate.relative(written)}; commit it to the change's pull request")


def approvals(
    change_id: Annotated[str, typer.Argument(metavar="ID")],
    repo: RepoOption = None,
    trusted: TrustedOption = None,
) -> None:
    """List each approval of a change with its state and why, and whether the quorum is met."""
    from changeops.approvals.status import approval_status

    status = approval_status(_estate(repo), change_id, trusted_ref=trusted)
    table = Table("approver", "role", "decision", "time", "state", "why", title=f"{change_id} ({status.digest[:19]}…)")
    for item in status.approvals:
        style = STATE_STYLE.get(item.state, "yellow")
        table.add_row(item.approver, item.role or "-", item.decision, f"{item.time:%Y-%m-%d %H:%M}" if item.time
                      else "-", f"[{style}]{item.state}[/]", escape(item.reason))
    out.print(table)
    out.print(f"judged by policies of {escape(status.trusted)}")
    for line in status.pending:
        out.print(f"[yellow]pending:[/] {escape(line)}")
    if status.met:
        out.print("[bold green]quorum met[/] for the current plan")
    else:
        for reason in status.reasons:
            out.print(f"[bold red]quorum not met:[/] {escape(reason)}")
    raise typer.Exit(0 if status.met else 1)


def digest(
    change_id: Annotated[str, typer.Argument(metavar="ID")],
    repo: RepoOption = None,
) -> None:
    """Print the plan digest an approval covers, with every file it covers."""
    from changeops.approvals.digest import plan_digest
    from changeops.estate.record_files import valid_record

    estate = _estate(repo)
    valid_record(estate, change_id)
    result = plan_digest(estate, change_id)
    out.print(result.value)
    for name in result.files:
        out.print(f"  {escape(name)}")
    out.print("  + the generated inventory of the targets (hosts, groups and their inline vars)")
    for finding in result.findings:
        out.print(f"[red]cannot be sealed:[/] {escape(finding.file)}:{finding.line}: \\[{finding.rule}] "
                  f"{escape(finding.message)}\n    hint: {escape(finding.hint)}")
    if not result.sealed:
        raise typer.Exit(1)


def _estate(repo: Path | None):  # noqa: ANN202
    from changeops.estate.layout import Estate

    return Estate.find(repo or Path.cwd())


def _git_key(estate) -> Path:  # noqa: ANN001
    from changeops import git as gitops
    from changeops.errors import UsageError

    configured = gitops.signing_key(gitops.open_repo(estate.root))
    if not configured or configured.startswith("key::"):
        raise UsageError("no signing key: give --key PATH, or set git config user.signingkey to a key file")
    return Path(configured).expanduser()
