"""Policy approvals: `changeops approve-policy` signs the policy diff of this branch."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from changeops.cli.common import epilog, out


def register(app: typer.Typer) -> None:
    """Add this group's commands to ``app``."""
    app.command("approve-policy", short_help="Sign this branch's policy changes.",
                epilog=epilog("changeops approve-policy --base origin/main --key demo/approver-keys/lihaitao"))(
        approve_policy)


def approve_policy(
    base: Annotated[str, typer.Option("--base", help="The branch the pull request merges into, e.g. origin/main: "
                                                     "its policy admins judge, its policies are the 'before'.")],
    reject: Annotated[bool, typer.Option("--reject", help="Record a rejection instead.")] = False,
    comment: Annotated[str, typer.Option("--comment", help="Said with the decision.")] = "",
    key: Annotated[Path | None, typer.Option("--key", help="SSH private key (default: git's user.signingkey).")]
    = None,
    repo: Annotated[Path | None, typer.Option("--repo", help="Repository root (default: the current folder).")]
    = None,
) -> None:
    """Sign this branch's changes to policies/ as a policy admin: .changeops/policy-approvals/<digest>/<id>.yaml."""
    from changeops.approvals.approve import git_signing_key
    from changeops.estate.layout import Estate
    from changeops.gate.pull_request import approve_policy_change

    estate = Estate.find(repo or Path.cwd())
    written = approve_policy_change(estate.root, base_ref=base, key=key or git_signing_key(estate), reject=reject,
                                    comment=comment)
    out.print(f"wrote {escape(estate.relative(written))}; commit it to the policy change's pull request")
