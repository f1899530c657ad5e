"""Closing out runs: a finished one normally, a killed one (its process gone) as interrupted.

Closing out means: transcripts of the stage that was running (from its work folder),
the summary, a scan of the whole run folder for known secrets, one commit (pushed when
there is a remote), the device locks released and the journal removed. A leak found by
the scan stops the commit (fail closed): the run folder moves to the state directory
(outside git) for inspection.

Close-out is idempotent: a run whose record was already committed (the kill came after
the commit) is never recorded again, only forgotten; a rebase a killed push left behind is
aborted; run commits not yet pushed (the outbox) are pushed by the next invocation; runs
whose runner was lost on another machine are closed out from the remote
(:mod:`changeops.execute.lost_runs`).
"""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass
from pathlib import Path

import git

from changeops import git as gitops
from changeops.errors import SecretLeakError
from changeops.estate.layout import Estate
from changeops.execute import locks
from changeops.execute.commit import Committed, commit_and_push
from changeops.execute.events import HostEvent
from changeops.execute.lost_runs import close_out_lost
from changeops.execute.run_record import Journal, RunRecord, journal_path, journals, now_utc, state_dir
from changeops.records.run_summary import RunResult
from changeops.secrets.quarantine import quarantine


@dataclass
class Recovered:
    run: str
    change: str
    committed: str | None
    leaked: list[str]
    already_recorded: bool = False
    """A lost run whose record the remote already held: only its locks were released."""
    locks_kept: bool = False
    """A lost run whose record could not be pushed: its locks stay until the record reaches the remote."""


def close_out(estate: Estate, journal: Journal, record: RunRecord, *, result: RunResult, extra_paths: list[str],
              commit: bool = True) -> Committed | None:
    """Scan, commit and forget a run whose summary is written."""
    record.close()
    findings = record.secrets.findings(record.folder)
    if findings:
        kept = quarantine(record.folder, state_dir(estate) / "quarantine" / journal.run)
        _forget(estate, journal)
        raise SecretLeakError(journal.run, sorted({f.file for f in findings}), [str(f) for f in findings], kept)
    committed = None
    if commit:
        paths = [estate.relative(record.folder), *extra_paths]
        committed = commit_and_push(estate, paths=paths, change_id=journal.change, run_id=journal.run,
                                    result=result.value)
    _forget(estate, journal)
    return committed


def _forget(estate: Estate, journal: Journal) -> None:
    shutil.rmtree(journal.workdir, ignore_errors=True)
    journal_path(estate, journal.run).unlink(missing_ok=True)


def recover_interrupted(estate: Estate) -> list[Recovered]:
    """Repair the clone, close out this machine's dead runs and the remote's lost ones, push the outbox."""
    repo = gitops.open_repo(estate.root)
    gitops.repair_interrupted_rebase(repo)
    _push_outbox(estate)  # first: a run record still here keeps its locks on the remote until it is there
    recovered = _recover_journals(estate)
    recovered += [Recovered(lost.run, lost.change, lost.committed, [], already_recorded=lost.already_recorded,
                            locks_kept=lost.kept) for lost in close_out_lost(estate)]
    _push_outbox(estate)
    return recovered


def records_on_remote(repo: git.Repo) -> bool:
    """Whether every commit of this clone, run records included, has reached the remote (always, without one).

    A run's locks are released only then: a clone whose record never left it may be discarded, and the
    remote's locks are what lets another runner find the run and record it once their lease has expired.
    """
    if not gitops.has_remote(repo):
        return True
    return not repo.head.is_detached and gitops.unpushed(repo, repo.active_branch.name) == 0


def _push_outbox(estate: Estate) -> None:
    repo = gitops.open_repo(estate.root)
    if gitops.has_remote(repo) and not repo.head.is_detached and gitops.unpushed(repo, repo.active_branch.name):
        gitops.push_with_retry(repo, branch=repo.active_branch.name)


def _recover_journals(estate: Estate) -> list[Recovered]:
    """Close out every run of this repository whose process is gone; release stale locks of this machine.

    Only journals that are ours are read: well-formed IDs, this repository's run folder,
    a work folder inside the state folder, this machine.
    """
    recovered = []
    machine = str(locks.me()["machine"])
    for path in journals(estate):
        try:
            journal = Journal.read(path)
        except (OSError, ValueError, TypeError):
            continue
        if not journal.trusted_in(estate, machine) or locks.process_alive(journal.pid, journal.process_start):
            continue
        try:
            recovered.append(_interrupted(estate, journal))
        except SecretLeakError as leak:
            recovered.append(Recovered(journal.run, journal.change, None, leak.files))
        _release(estate, journal.locks)
    _release_stale(estate)
    return recovered


def _interrupted(estate: Estate, journal: Journal) -> Recovered:
    from changeops.execute.archive import discard_captures, left_behind
    from changeops.execute.observers import write_transcripts
    from changeops.execute.pipeline import load_change, run_secrets
    from changeops.policy.engine import read_policies
    from changeops.policy.files import DirectorySource

    folder = Path(journal.folder)
    if _committed(estate, folder):
        _forget(estate, journal)  # killed after its commit: the record stands as it was committed
        return Recovered(journal.run, journal.change, None, [])
    change = load_change(estate, journal.change)
    policies = read_policies(DirectorySource(estate.policies))
    inventories = [Path(p) for p in journal.inventories]
    project = Path(journal.workdir) / "bundle" / "project"
    record = RunRecord(folder, run_secrets(project if project.is_dir() else estate.playbooks, change,
                                           [p.parent if p.name == "hosts.yml" else p for p in inventories], policies))
    running = journal.stages[-1] if journal.stages and journal.stages[-1].finished is None else None
    if running is not None:
        events = _events_of_stage(folder / "events.jsonl", running.name)
        log = Path(journal.workdir) / running.name / "session.log"
        write_transcripts(record, running.name + " (interrupted)", "", events, log if log.is_file() else None,
                          [Path(p) for p in journal.inventories] or [estate.inventory])
    archived, notes = left_behind(estate, journal.run, record.secrets)
    journal.notes += notes
    record.summary(journal, result=RunResult.INTERRUPTED, finished=now_utc())
    try:
        committed = close_out(estate, journal, record, result=RunResult.INTERRUPTED, extra_paths=archived)
    except SecretLeakError:
        discard_captures(estate, archived)
        raise
    return Recovered(journal.run, journal.change, committed.sha if committed else None, [])


def _committed(estate: Estate, folder: Path) -> bool:
    repo = gitops.open_repo(estate.root)
    return bool(repo.git.ls_files("--", estate.relative(folder / "summary.yaml")).strip())


def _events_of_stage(path: Path, stage: str) -> list[HostEvent]:
    events: list[HostEvent] = []
    inside = False
    if not path.is_file():
        return events
    for line in path.read_text(encoding="utf-8").splitlines():
        try:
            data = json.loads(line)
        except ValueError:
            continue  # the last line of a killed run may be cut short
        if not isinstance(data, dict):
            continue
        if data.get("event") == "changeops_stage_start":
            inside = data.get("stage") == stage
        elif inside and (event := HostEvent.from_json(data)) is not None:
            events.append(event)
    return events


def _release(estate: Estate, held: dict[str, str]) -> None:
    repo = gitops.open_repo(estate.root)
    if records_on_remote(repo):
        locks.release(repo, held)


def _release_stale(estate: Estate) -> None:
    """Locks whose holder ran on this machine and is gone (its journal may never have been written), once this
    clone's records are on the remote."""
    repo = gitops.open_repo(estate.root)
    if not records_on_remote(repo):
        return
    for host in gitops.lock_names(repo):
        holder = locks.holder(repo, host, refresh=False)
        if holder is not None and (holder.gone_here or _finished_here(repo, holder)):
            locks.release(repo, {host: holder.sha})


def _finished_here(repo: git.Repo, holder: locks.Holder) -> bool:
    """A lock taken on this machine by a run whose record is committed (and, by the caller's check, pushed):
    the run is over, whether or not its process still lives (a run in a long-lived process, or a lock kept
    while the record could not be pushed)."""
    if holder.machine != locks.me()["machine"]:
        return False
    try:
        repo.git.cat_file("-e", f"HEAD:changes/{holder.change}/runs/{holder.run}/summary.yaml")
    except git.GitCommandError:
        return False
    return True
