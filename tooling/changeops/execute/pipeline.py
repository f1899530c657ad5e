"""Run one change: refuse or lock, then precheck → backup → implementation → verification
(on failure rollback → verification of the rollback), record, redact, commit, unlock.
"""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from changeops.errors import ChangeopsError
from changeops.estate.inventory import load_inventory
from changeops.estate.layout import Estate
from changeops.execute import locks
from changeops.execute.endpoints import host_endpoints
from changeops.execute.progress import Progress
from changeops.execute.redaction import Secrets, collect_secrets, vault_password, yaml_files
from changeops.execute.refusal import judge
from changeops.execute.run_record import (
    Journal,
    RunRecord,
    StageEntry,
    journal_path,
    new_run_id,
    now_utc,
    stamp,
    state_dir,
    versions,
)
from changeops.execute.runner import StageRun, clean_env, run_stage
from changeops.execute.transcript import attach, render_stage, session_exchanges, tasks_by_host
from changeops.gitops import git as gitops
from changeops.records.model import ChangeBase, Step, parse_change
from changeops.records.validate import record_file_for
from changeops.yaml12 import load


class SecretLeakError(ChangeopsError):
    """A known secret would have reached the repository; nothing was committed."""

    exit_code = 1

    def __init__(self, run_id: str, files: list[str], findings: list[str] | None = None,
                 kept: Path | None = None) -> None:
        super().__init__(run_id)
        self.run_id, self.files, self.findings, self.kept = run_id, files, findings or [], kept

    def __str__(self) -> str:
        where = f"moved to {self.kept}" if self.kept else "left where it was"
        lines = "".join(f"\n  {finding}" for finding in self.findings)
        return (f"run {self.run_id}: a secret is in {', '.join(self.files)}; nothing was committed "
                f"(the unmasked record is {where}, outside git){lines}")


@dataclass
class RunOutcome:
    """What ``run`` did: refused (with reasons), or a run with its result and where it was recorded."""

    change: str
    refused: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    run_id: str | None = None
    result: str | None = None
    check: bool = False
    stages: list[StageEntry] = field(default_factory=list)
    folder: Path | None = None
    commit: str | None = None
    pushed: bool = False
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.refused and self.result in ("completed", "checked")


@dataclass
class Context:
    """Everything a stage needs, fixed before the first one runs."""

    estate: Estate
    change: ChangeBase
    hosts: list[str]
    inventories: list[Path]
    workdir: Path
    record: RunRecord
    journal: Journal
    progress: Progress
    check: bool
    backup_dir: Path


def load_change(estate: Estate, change_id: str) -> ChangeBase:
    path = record_file_for(estate, change_id)
    try:
        return parse_change(load(path.read_bytes()).data)
    except (ValueError, TypeError):
        raise ChangeopsError(f"{change_id} is not a valid record; run: changeops validate "
                             f"{estate.relative(path)}") from None


def run_change(estate: Estate, change_id: str, *, at: datetime | None = None, check: bool = False,
               overlays: list[Path] = (), progress: Progress | None = None, commit: bool = True) -> RunOutcome:
    """Run ``change_id`` now (or as if at ``at``); a refusal touches nothing and is returned, not raised."""
    at = at or now_utc()
    progress = progress or Progress()
    change = load_change(estate, change_id)
    verdict = judge(estate, change, at=at, check=check)
    outcome = RunOutcome(change.id, list(verdict.reasons), list(verdict.warnings), check=check)
    if verdict.refused:
        return outcome
    hosts = sorted(load_inventory(estate).expand(change.targets))
    repo = gitops.open_repo(estate.root)
    run_id = new_run_id(now_utc())
    held: dict[str, str] = {}
    if not check:
        held, holders = locks.acquire(repo, hosts, run_id=run_id, change_id=change.id)
        if holders:
            outcome.refused = [h.describe() + (" (stale: its process is gone; run again to close it out)"
                                               if h.stale else "") for h in holders]
            return outcome
    try:
        ctx = _context(estate, change, hosts, [estate.inventory, *overlays], run_id, check, progress,
                       verdict.plan_digest, held)
        outcome.run_id, outcome.folder = run_id, ctx.record.folder
        outcome.result = _stages(ctx)
        outcome.stages = ctx.journal.stages
        _finish(ctx, outcome, commit=commit)
    finally:
        progress.close()
        failed = locks.release(repo, held)
        outcome.notes += [f"could not release the lock on {host}" for host in failed]
    return outcome


def _context(estate: Estate, change: ChangeBase, hosts: list[str], inventories: list[Path], run_id: str,
             check: bool, progress: Progress, digest: str | None, held: dict[str, str]) -> Context:
    state = state_dir(estate)
    (state / "work").mkdir(exist_ok=True)
    workdir = Path(tempfile.mkdtemp(prefix=f"{run_id}-", dir=state / "work"))
    folder = (state / "checks" / run_id) if check else (estate.changes / change.id / "runs" / run_id)
    journal = Journal(run_id, change.id, stamp(now_utc()), *_me(), str(folder), str(workdir),
                      gitops.identity(gitops.open_repo(estate.root)) or "unknown", digest, versions(), held,
                      inventories=[str(p.resolve()) for p in inventories])
    if not check:
        journal.save(estate)
    secrets = run_secrets(estate, change, inventories)
    record = RunRecord(folder, secrets)
    return Context(estate, change, hosts, inventories, workdir, record, journal, progress, check,
                   state / "backups" / run_id)


def _me() -> tuple[int, str, str]:
    me = locks.me()
    return int(me["pid"]), str(me["machine"]), str(me["process_start"])


def run_secrets(estate: Estate, change: ChangeBase, inventories: list[Path]) -> Secrets:
    """The values and patterns this run must never write (see :mod:`changeops.execute.redaction`)."""
    from changeops.policy.engine import read_policies
    from changeops.policy.files import DirectorySource

    settings = read_policies(DirectorySource(estate.policies)).rules.redaction
    env = clean_env(session_log=Path("/dev/null"))
    files = [f for source in [*inventories, estate.playbooks] for f in yaml_files(source)]
    import os

    from changeops.secrets.sources import environment_credentials

    names = [*settings.values_from_env, *environment_credentials(env)]

    return collect_secrets(files=files, step_vars=[s.vars for s in change.steps().values()], env_names=names,
                           patterns=settings.patterns, env=dict(os.environ), vault_password=vault_password(env))


def _stages(ctx: Context) -> str:
    """Run the stages; the run's result."""
    steps = ctx.change.steps()
    if ctx.check:
        # A rollback playbook may not support check mode (ios_command runs only `show` there): its
        # dry run is shown, but only the implementation's decides the check.
        implemented = _stage(ctx, "implementation", steps["implementation"], check=True)
        _stage(ctx, "rollback", steps["rollback"], check=True)
        return "checked" if implemented.ok else "failed"
    for name in ("precheck", "backup"):
        if name in steps and not _stage(ctx, name, steps[name]).ok:
            return "failed"
    implemented = _stage(ctx, "implementation", steps["implementation"])
    if implemented.ok and _stage(ctx, "verification", steps["verification"]).ok:
        _drill(ctx, implemented)
        return "completed"
    _drill(ctx, implemented)
    rolled = _stage(ctx, "rollback", steps["rollback"])
    verified = _stage(ctx, "rollback-verification", steps.get("rollback_verification", steps["verification"]))
    return "rolled-back" if rolled.ok and verified.ok else "failed"


def _stage(ctx: Context, name: str, step: Step, *, check: bool = False) -> StageRun:
    entry = StageEntry(name, stamp(now_utc()))
    ctx.journal.stages.append(entry)
    if not ctx.check:
        ctx.journal.save(ctx.estate)
    ctx.progress.start_stage(name, ctx.hosts)
    ctx.record.marker("stage_start", stage=name, playbook=step.playbook)

    def on_event(event: dict[str, Any]) -> None:
        ctx.record.event(event)
        ctx.progress.event(event)

    extravars = {**step.vars, "target_hosts": ",".join(ctx.hosts), "changeops_run": ctx.journal.run,
                 "changeops_backup_dir": str(ctx.backup_dir)}
    if name == "backup":
        extravars.setdefault("backup_dir", str(ctx.backup_dir))
    ctx.backup_dir.mkdir(parents=True, exist_ok=True)
    outcome = run_stage(name=name, playbook=ctx.estate.playbooks / step.playbook, inventories=ctx.inventories,
                        extravars=extravars, folder=ctx.workdir / name, targets=ctx.hosts, check=check,
                        on_event=on_event)
    entry.finished, entry.hosts = stamp(now_utc()), outcome.hosts
    write_transcripts(ctx.record, name, step.playbook, outcome.events, outcome.session_log, ctx.inventories)
    if name == "backup":
        ctx.record.backups(ctx.backup_dir, ctx.hosts)
    ctx.record.marker("stage_end", stage=name, rc=outcome.rc, hosts=outcome.hosts)
    if not ctx.check:
        ctx.journal.save(ctx.estate)
    ctx.progress.end_stage(name, outcome.hosts)
    return outcome


def write_transcripts(record: RunRecord, stage: str, playbook: str, events: list[dict[str, Any]],
                      session_log: Path | None, inventories: list[Path]) -> None:
    """Append this stage's part of every host's transcript."""
    exchanges = session_exchanges(session_log, host_endpoints(inventories)) if session_log else {}
    tasks = tasks_by_host(events)
    for host in sorted(set(tasks) | set(exchanges)):
        host_tasks = tasks.get(host, [])
        loose = attach(host_tasks, exchanges.get(host, []))
        record.transcript(host, render_stage(stage, playbook, host_tasks, loose))


def _drill(ctx: Context, implemented: StageRun) -> None:
    drill = getattr(ctx.change, "drill", None)
    timings = implemented.stats.get("drill") if drill is not None else None
    if not isinstance(timings, dict):
        return
    rto = drill.objectives.rto_minutes * 60
    hosts = {}
    for host, data in sorted(timings.items()):
        seconds = data.get("recovery_seconds") if isinstance(data, dict) else None
        hosts[host] = {"recovery_seconds": seconds, "within_rto": seconds is not None and seconds <= rto,
                       **{k: data.get(k) for k in ("started_at", "recovered_at", "restored_at")}}
    measured = [h["recovery_seconds"] for h in hosts.values() if h["recovery_seconds"] is not None]
    ctx.record.write_yaml("drill.yaml", {
        "runbook": drill.runbook, "rto_seconds": rto, "rpo_minutes": drill.objectives.rpo_minutes,
        "achieved_seconds": max(measured) if measured else None,
        "met": bool(measured) and len(measured) == len(hosts) and max(measured) <= rto, "hosts": hosts})


def _finish(ctx: Context, outcome: RunOutcome, *, commit: bool) -> None:
    from changeops.execute.recovery import close_out

    finished = now_utc()
    if ctx.check:
        ctx.record.close()
        shutil.rmtree(ctx.workdir, ignore_errors=True)
        return
    paths = []
    if outcome.result == "completed":
        paths += _move_device(ctx)
    ctx.record.summary(ctx.journal, result=outcome.result or "failed", finished=finished)
    committed = close_out(ctx.estate, ctx.journal, ctx.record, result=outcome.result or "failed",
                          extra_paths=paths, commit=commit)
    outcome.commit, outcome.pushed = committed.sha if committed else None, bool(committed and committed.pushed)
    if committed and committed.detail and not committed.pushed and committed.detail != "no remote":
        outcome.notes.append(f"the run record is committed but not pushed: {committed.detail}")


def _move_device(ctx: Context) -> list[str]:
    move = getattr(ctx.change, "move", None)
    if move is None:
        return []
    from changeops.execute.device_move import record_new_location

    path = record_new_location(ctx.estate, move.device, move.to)
    return [ctx.estate.relative(path)] if path else []


def journal_file(estate: Estate, run_id: str) -> Path:
    return journal_path(estate, run_id)
