"""Commit a run record back to git (one commit, trailers Change-Id, Run-Id, Result) and push it."""

from __future__ import annotations

from dataclasses import dataclass

from changeops import git as gitops
from changeops.estate.layout import Estate


@dataclass(frozen=True)
class Committed:
    sha: str
    pushed: bool
    detail: str = ""


def commit_and_push(estate: Estate, *, paths: list[str], change_id: str, run_id: str, result: str) -> Committed:
    """Commit exactly ``paths``; push when the repository has a remote, rebasing onto it if it moved."""
    repo = gitops.open_repo(estate.root)
    sha = gitops.commit_run(repo, paths=paths, change_id=change_id, run_id=run_id, result=result,
                            title=f"Run {run_id} of {change_id}: {result}")
    if not gitops.has_remote(repo):
        return Committed(sha, False, "no remote")
    outcome = gitops.push_with_retry(repo, branch=gitops.current_branch(repo))
    return Committed(repo.head.commit.hexsha, outcome.pushed, outcome.detail)
