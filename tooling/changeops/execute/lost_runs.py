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

from changeops import git as gitops
from changeops.errors import UsageError
from changeops.estate.layout import Estate
from changeops.execute import locks
from changeops.execute.commit import commit_and_push
from changeops.execute.run_record import RUN_ID, journals, now_utc
from changeops.records.fields import ID_PATTERN
from changeops.records.run_summary import RunResult, RunSummary, write_summary

LOST_NOTE = ("the runner ({machine}, pid {pid}) was lost before it recorded this run; its locks' lease expired "
             "at {lease}. The devices {targets} may have been changed: no transcript was saved. Check them against "
             "their last backup.")


@dataclass(frozen=True)
class LostRun:
    run: str
    change: str
    committed: str | None
    released: list[str]


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
    first = holders[0]
    folder = estate.changes / first.change / "runs" / first.run
    committed = None
    if not (folder / "summary.yaml").is_file():
        folder.mkdir(parents=True, exist_ok=True)
        started = _time(first.started) or first.lease_until or now_utc()
        targets = ", ".join(first.targets or tuple(h.host for h in holders))
        note = LOST_NOTE.format(machine=first.machine, pid=first.pid, lease=first.lease_until, targets=targets)
        write_summary(folder, RunSummary(run=first.run, change=first.change, started=started, finished=now_utc(),
                                         result=RunResult.INTERRUPTED, operator=f"runner on {first.machine}",
                                         notes=(note,)))
        done = commit_and_push(estate, paths=[estate.relative(folder)], change_id=first.change, run_id=first.run,
                               result=RunResult.INTERRUPTED.value)
        committed = done.sha
    repo = gitops.open_repo(estate.root)
    released = [h.host for h in holders if gitops.delete_lock(repo, h.host, h.sha)]
    return LostRun(first.run, first.change, committed, released)


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
