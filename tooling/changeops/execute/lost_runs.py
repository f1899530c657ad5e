"""Runs whose runner was lost: seen on the remote, closed out by any runner once their lease expired.

A run announces itself with its device locks before the first device command (see
:mod:`changeops.execute.locks`). When its runner dies with its workspace — a cancelled CI
job — nothing local is left to close it out, but the remote still holds the locks. Once
their lease has expired, the next ``run`` or ``apply`` on any machine writes the run's
record (result ``interrupted``, saying that its transcript was lost and that the devices
may have been changed), commits and pushes it, and then releases the locks. A run whose
record is already in the repository is never recorded twice. ``changeops unlock`` releases
a lock by hand, with a reason that is committed.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from changeops import git as gitops
from changeops.errors import UsageError
from changeops.estate.layout import Estate
from changeops.execute import locks
from changeops.execute.commit import commit_and_push
from changeops.execute.run_record import RUN_ID, journals, now_utc
from changeops.records.fields import ID_PATTERN
from changeops.records.run_summary import RunResult, RunSummary, write_summary

if TYPE_CHECKING:
    import git

LOST_NOTE = ("the runner ({machine}, pid {pid}) was lost before it recorded this run; its locks' lease expired "
             "at {lease}. The devices {targets} may have been changed: no transcript was saved. Check them against "
             "their last backup.")


@dataclass(frozen=True)
class LostRun:
    run: str
    change: str
    committed: str | None
    released: list[str]
    already_recorded: bool = False
    """The remote held the run's record already (its runner died after pushing it): only the locks were left."""
    kept: bool = False
    """The record has not reached the remote yet (the push failed): the locks stay, the next invocation retries."""


def close_out_lost(estate: Estate) -> list[LostRun]:
    """Record and unlock every run whose locks' lease expired and that no live local journal explains."""
    repo = gitops.open_repo(estate.root)
    ours = {path.stem for path in journals(estate)}
    by_run: dict[str, list[locks.Holder]] = defaultdict(list)
    for host, sha in gitops.remote_locks(repo).items():
        holder = locks.holder_of(host, sha, gitops.lock_payload(repo, sha))
        if holder.expired and holder.run not in ours and RUN_ID.match(holder.run) and ID_PATTERN.match(holder.change):
            by_run[holder.run].append(holder)
    return [_close(estate, holders) for _, holders in sorted(by_run.items())]


def _close(estate: Estate, holders: list[locks.Holder]) -> LostRun:
    """Record the run unless the remote has its record, then release its locks, only once the remote has it.

    The remote decides, not this clone: a clone behind the remote (the lost runner's push landed
    after it was checked out) must not label a completed run interrupted, and a record that only
    this clone holds is lost with its workspace, so the locks that say "a run was here" stay.
    """
    first = holders[0]
    folder = estate.changes / first.change / "runs" / first.run
    summary = estate.relative(folder / "summary.yaml")
    repo = gitops.open_repo(estate.root)
    branch = gitops.current_branch(repo)
    already = recorded = gitops.on_remote(repo, summary, branch=branch)
    committed = None
    if not recorded:
        if _committed_here(repo, summary):
            gitops.push_with_retry(repo, branch=branch)  # recorded by an earlier invocation whose push failed
        else:
            _write_lost_summary(folder, first, holders)
            committed = commit_and_push(estate, paths=[estate.relative(folder)], change_id=first.change,
                                        run_id=first.run, result=RunResult.INTERRUPTED.value).sha
        recorded = gitops.on_remote(repo, summary, branch=branch)
    released = [h.host for h in holders if gitops.delete_lock(repo, h.host, h.sha)] if recorded else []
    return LostRun(first.run, first.change, committed, released, already_recorded=already, kept=not recorded)


def _committed_here(repo: git.Repo, path: str) -> bool:
    return bool(repo.git.ls_files("--", path).strip())


def _write_lost_summary(folder: Path, first: locks.Holder, holders: list[locks.Holder]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    started = _time(first.started) or first.lease_until or now_utc()
    targets = ", ".join(first.targets or tuple(h.host for h in holders))
    note = LOST_NOTE.format(machine=first.machine, pid=first.pid, lease=first.lease_until, targets=targets)
    write_summary(folder, RunSummary(run=first.run, change=first.change, started=started, finished=now_utc(),
                                     result=RunResult.INTERRUPTED, operator=f"runner on {first.machine}",
                                     notes=(note,)))


def unlock(estate: Estate, host: str, *, reason: str) -> str:
    """Release ``host``'s lock by hand and commit why; the audit commit's SHA."""
    if not reason.strip():
        raise UsageError("say why the lock is released: --reason TEXT (it is committed)")
    repo = gitops.open_repo(estate.root)
    found = gitops.read_lock(repo, host)
    if found is None:
        raise UsageError(f"{host} is not locked")
    holder = locks.holder_of(host, *found)
    if not gitops.delete_lock(repo, host, holder.sha):
        raise UsageError(f"the remote refused to release {host}'s lock (it changed meanwhile); look again")
    sha = gitops.record_unlock(repo, host=host, run_id=holder.run, change_id=holder.change, reason=reason.strip(),
                               who=gitops.identity(repo) or "unknown")
    if gitops.has_remote(repo):
        gitops.push_with_retry(repo, branch=gitops.current_branch(repo))
    return sha


def _time(text: str) -> datetime | None:
    try:
        return datetime.fromisoformat(text).astimezone(UTC) if text else None
    except ValueError:
        return None
