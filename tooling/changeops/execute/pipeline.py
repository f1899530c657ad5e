"""Run one change: preconditions, judgement, the sealed bundle, locks, the stages, record, commit, unlock.

Everything that can refuse a run is decided before the first device command: the
argument is a change ID, the trusted ref resolves, the work tree is clean at that commit,
the clock is real (or the run is a lab run), the record and policies are valid, the
approvals make the quorum for the current plan, the plan seals from the trusted commit
with the digest the approvers signed, the window is open and no freeze is on, and every
device lock is held. A refusal is an outcome (findings), never an exception.

What runs is the sealed bundle (:mod:`changeops.bundle`) built from the trusted commit's
objects outside the work tree: Ansible gets its project, its generated inventory and its
pinned configuration, so a file nobody approved cannot load. A preview (``--check``)
takes the record from the work tree (a branch) as data and the playbooks from the trusted
ref, and refuses playbooks whose tasks would act for real.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

from changeops import git as gitops
from changeops.bundle import Bundle, GitTree, PlanResolution, TreeSource, WorkTree, build_bundle, resolve_plan
from changeops.errors import ChangeopsError, SecretLeakError
from changeops.estate.inventory import load_inventory
from changeops.estate.layout import Estate
from changeops.estate.record_files import valid_record
from changeops.execute import kill_points, locks
from changeops.execute.archive import InventoryOutput, RunCaptures, archive_run, discard_captures
from changeops.execute.backends.local import LocalExecutor, clean_env
from changeops.execute.executor import Executor
from changeops.execute.inspection import inspection_context
from changeops.execute.observers import EventLog, RunObserver, Transcripts
from changeops.execute.preconditions import Trusted, change_id_problem, lab_run, refusal, resolve_trusted
from changeops.execute.preconditions import work_tree_problems as tree_problems
from changeops.execute.preview import preview_problems
from changeops.execute.progress import Progress
from changeops.execute.redaction import Secrets, collect_secrets, vault_password, yaml_files
from changeops.execute.refusal import Judged, judge
from changeops.execute.run_record import (
    Journal,
    RunRecord,
    StageEntry,
    new_run_id,
    now_utc,
    read_summaries,
    stamp,
    state_dir,
    versions,
)
from changeops.execute.stages import StagePlan, run_stages, time_limit
from changeops.findings import Finding, Severity
from changeops.policy.files import Policies
from changeops.records.model import ChangeBase, read_change
from changeops.records.run_summary import RunResult
from changeops.secrets.sources import environment_credentials

__all__ = ["RunOutcome", "SecretLeakError", "load_change", "run_change", "run_secrets"]


@dataclass
class RunOutcome:
    """What ``run`` did: refused (with findings), or a run with its result and where it was recorded."""

    change: str
    findings: list[Finding] = field(default_factory=list)
    run_id: str | None = None
    result: RunResult | None = None
    check: bool = False
    stages: list[StageEntry] = field(default_factory=list)
    folder: Path | None = None
    commit: str | None = None
    pushed: bool = False
    notes: list[str] = field(default_factory=list)

    @property
    def refused(self) -> list[Finding]:
        return [f for f in self.findings if f.severity is Severity.ERROR]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.severity is Severity.WARNING]

    @property
    def ok(self) -> bool:
        return not self.refused and self.result is not None and self.result.succeeded


@dataclass(frozen=True)
class RunRequest:
    """How the caller asked for the run."""

    change_id: str
    at: datetime | None = None
    check: bool = False
    overlays: tuple[Path, ...] = ()
    trusted_ref: str | None = None
    commit: bool = True
    branch_playbooks: bool = False
    """A preview of the branch's own playbooks: lab only, without device credentials or the vault password."""
    node: str | None = None


def load_change(estate: Estate, change_id: str) -> ChangeBase:
    """The valid record of ``change_id`` (a usage error when it is missing or invalid)."""
    return valid_record(estate, change_id)[1]


def run_change(estate: Estate, change_id: str, *, at: datetime | None = None, check: bool = False,
               overlays: list[Path] | tuple[Path, ...] = (), progress: Progress | None = None, commit: bool = True,
               executor: Executor | None = None, trusted_ref: str | None = None,
               branch_playbooks: bool = False, node: str | None = None) -> RunOutcome:
    """Run ``change_id`` now; a refusal touches nothing and is returned, not raised.

    ``node`` runs it on that execution node of ``policies/nodes.yml`` (at the trusted ref),
    refused unless every target maps to that node alone.
    """
    request = RunRequest(change_id, at, check, tuple(overlays), trusted_ref, commit, branch_playbooks and check,
                         node)
    progress = progress or Progress()
    outcome = RunOutcome(change_id, check=check)
    try:
        prepared = _prepare(estate, request, outcome)
        if prepared is not None:
            executor = executor or prepared.executor or LocalExecutor(credentials=not request.branch_playbooks)
            _execute(estate, request, prepared, outcome, progress, executor)
    finally:
        progress.close()
    return outcome


@dataclass
class Prepared:
    change: ChangeBase
    record: Path
    hosts: list[str]
    trusted: Trusted
    policies: Policies
    at: datetime
    lab: bool
    digest: str | None
    plan: PlanResolution | None = None
    held: dict[str, str] = field(default_factory=dict)
    executor: Executor | None = None


def _prepare(estate: Estate, request: RunRequest, outcome: RunOutcome) -> Prepared | None:
    """Every precondition and the judgement; None (with ``outcome.findings``) when refused."""
    problem = change_id_problem(request.change_id)
    if problem is not None:
        outcome.findings.append(problem)
        return None
    trusted, problems = resolve_trusted(estate.root, request.trusted_ref)
    if trusted is None:
        outcome.findings += problems
        return None
    if not request.check:
        outcome.findings += tree_problems(estate.root, trusted)
    record, change = valid_record(estate, request.change_id)
    inventory = load_inventory(estate)
    hosts = sorted(inventory.expand(change.targets))
    lab = lab_run(list(request.overlays), hosts)
    if request.branch_playbooks and not lab:
        outcome.findings.append(refusal("preview-branch-playbooks", "a branch's own playbooks are previewed "
                                        "against the lab only", "add --inventory with the lab overlay "
                                        "(changeops lab up), or preview the trusted playbooks without the flag"))
    if request.at is not None and not lab:
        outcome.findings.append(refusal("run-clock", "--at moves the clock, and only lab runs may do that",
                                        "drop --at (a real run uses the real clock), or run against the lab "
                                        "overlay (changeops lab up; --inventory .lab/inventory.yml)"))
    outcome.findings += _already_completed(estate, change.id) if not request.check else []
    node_executor = _node_executor(estate, request, trusted, hosts, outcome) if request.node else None
    if outcome.refused:
        return None
    policies = _trusted_policies(estate, trusted)
    at = request.at or now_utc()
    verdict = judge(Judged(estate, change, record, policies, inventory), at=at, check=request.check)
    outcome.findings += verdict.findings
    if verdict.refused:
        return None
    prepared = Prepared(change, record, hosts, trusted, policies, at, lab, verdict.plan_digest,
                        executor=node_executor)
    prepared.plan = _resolve_plan(estate, request, prepared, outcome)
    if outcome.refused:
        return None
    return prepared if request.check or _lock(estate, prepared, outcome) else None


def _sources(estate: Estate, request: RunRequest, trusted: Trusted) -> tuple[TreeSource, TreeSource | None]:
    """Where the record and the playbooks come from: the trusted commit, or (preview) the branch's record."""
    if request.branch_playbooks:
        return WorkTree(estate.root), None
    commit = GitTree(estate.root, trusted.commit)
    return (WorkTree(estate.root), commit) if request.check else (commit, None)


def _resolve_plan(estate: Estate, request: RunRequest, prepared: Prepared, outcome: RunOutcome) -> PlanResolution:
    """The plan as it will run; refusals when it cannot be sealed, differs from what was approved, or
    (preview) would act for real."""
    source, playbooks = _sources(estate, request, prepared.trusted)
    plan = resolve_plan(source, prepared.change.id, playbook_source=playbooks)
    outcome.findings += plan.findings
    if not request.check and plan.ok and plan.digest != prepared.digest:
        outcome.findings.append(refusal(
            "run-plan-drift", f"the trusted commit's plan {plan.digest[:19]}… is not the plan whose approvals "
                              f"were judged ({str(prepared.digest)[:19]}…)",
            "run from a clean checkout of the trusted ref; approvers sign what main holds"))
    if request.check:
        sealed = playbooks or source
        outcome.findings += preview_problems({p: sealed.read(p) or b"" for p in plan.manifest.paths
                                              if p.startswith("playbooks/") and p.endswith((".yml", ".yaml"))})
    return plan


def _already_completed(estate: Estate, change_id: str) -> list[Finding]:
    """A change that completed is not run again (after a fetch, so another runner's run counts too)."""
    done = [s for s in read_summaries(estate, change_id) if s.result is RunResult.COMPLETED]
    return [refusal("run-already-completed", f"{change_id} already completed in run {done[-1].run}",
                    "a change runs once; write a new change record for more work",
                    file=f"changes/{change_id}/runs/{done[-1].run}/summary.yaml", line=1, column=1)] if done else []


def _trusted_policies(estate: Estate, trusted: Trusted) -> Policies:
    from changeops.policy.engine import read_policies

    repo = gitops.open_repo(estate.root)
    return read_policies(gitops.GitPolicySource(gitops.resolve(repo, trusted.commit), trusted.ref))


def _node_executor(estate: Estate, request: RunRequest, trusted: Trusted, hosts: list[str],
                   outcome: RunOutcome) -> Executor | None:
    from changeops.execute.backends.node import executor_for

    raw = gitops.read_file(gitops.resolve(gitops.open_repo(estate.root), trusted.commit), "policies/nodes.yml")
    executor, findings = executor_for(raw, str(request.node), hosts, load_inventory(estate), revision=trusted.commit)
    outcome.findings += findings
    return executor


def _lock(estate: Estate, prepared: Prepared, outcome: RunOutcome) -> bool:
    """Announce the run on the remote: a lock per device, with a lease that ends when the run must be over."""
    repo = gitops.open_repo(estate.root)
    outcome.run_id = new_run_id(now_utc())
    limits = prepared.policies.rules.execution
    lease = now_utc() + time_limit(prepared.change, limits) + timedelta(seconds=limits.lease_margin_seconds)
    held, holders = locks.acquire(repo, prepared.hosts, run_id=outcome.run_id, change_id=prepared.change.id,
                                  lease_until=lease)
    for holder in holders:
        stale = " (stale: its process is gone; run again to close it out)" if holder.stale else ""
        outcome.findings.append(refusal("run-locked", holder.describe() + stale,
                                        "wait for the other run to finish, or close out a dead one"))
    prepared.held = held
    return not holders


def _execute(estate: Estate, request: RunRequest, prepared: Prepared, outcome: RunOutcome, progress: Progress,
             executor: Executor) -> None:
    outcome.run_id = outcome.run_id or new_run_id(now_utc())
    journal, record, bundle = _journal(estate, request, prepared, outcome.run_id, executor)
    outcome.folder = record.folder
    inventories = [bundle.inventory, *(p.resolve() for p in request.overlays)]
    parts = InventoryOutput()
    observers: list[RunObserver] = [EventLog(record), Transcripts(record, inventories), progress, parts]
    plan = StagePlan(_sealed_change(bundle), prepared.hosts, bundle.project, inventories,
                     Path(journal.workdir), state_dir(estate) / "backups" / journal.run, request.check,
                     prepared.policies.rules.execution, bundle.env(), bundle.project / "playbooks",
                     inspection_context(estate, prepared.change, prepared.policies.inspections.thresholds))
    try:
        outcome.result = run_stages(plan, executor, observers, journal, record,
                                    save=None if request.check else (lambda: journal.save(estate)))
        archived: list[str] = []
        if not request.check:
            archived, notes = archive_run(RunCaptures(estate, plan, journal, record, observers, parts), executor)
            journal.notes += notes
            kill_points.reached("after-archive")
        outcome.stages = journal.stages
        outcome.notes += journal.notes
        _finish(estate, journal, record, outcome, commit=request.commit, archived=archived)
    finally:
        from changeops.execute.recovery import records_on_remote

        if prepared.held and outcome.commit and not records_on_remote(gitops.open_repo(estate.root)):
            outcome.notes.append("the locks stay on the remote until this run's record reaches it: the next "
                                 "changeops command in this clone pushes it and releases them; if this clone is "
                                 "lost, any runner records the run from the remote once the lease has expired")
        elif prepared.held:
            failed = locks.release(gitops.open_repo(estate.root), prepared.held)
            outcome.notes += [f"could not release the lock on {host}" for host in failed]


def _sealed_change(bundle: Bundle) -> ChangeBase:
    """The change as the bundle holds it: the steps' variables come from the sealed record, nowhere else."""
    change = read_change(bundle.record.read_bytes())
    if change is None:
        raise ChangeopsError(f"the sealed record {bundle.record} does not parse")
    return change


def _seal(estate: Estate, request: RunRequest, prepared: Prepared, workdir: Path) -> Bundle:
    assert prepared.plan is not None
    source, playbooks = _sources(estate, request, prepared.trusted)
    return build_bundle(prepared.plan, source, workdir / "bundle", playbook_source=playbooks)


def _journal(estate: Estate, request: RunRequest, prepared: Prepared, run_id: str,
             executor: Executor) -> tuple[Journal, RunRecord, Bundle]:
    state = state_dir(estate)
    (state / "work").mkdir(exist_ok=True)
    workdir = Path(tempfile.mkdtemp(prefix=f"{run_id}-", dir=state / "work"))
    bundle = _seal(estate, request, prepared, workdir)
    inventories = [bundle.inventory, *(p.resolve() for p in request.overlays)]
    change = prepared.change
    folder = (state / "checks" / run_id) if request.check else (estate.changes / change.id / "runs" / run_id)
    me = locks.me()
    clock = None
    if request.at is not None:
        clock = {"judged_at": stamp(prepared.at), "real_time": stamp(now_utc()),
                 "reason": "--at on a lab run (every target on loopback through the lab overlay)"}
    journal = Journal(run_id, change.id, stamp(now_utc()), int(str(me["pid"])), str(me["machine"]),
                      str(me["process_start"]), str(folder), str(workdir),
                      gitops.identity(gitops.open_repo(estate.root)) or "unknown", prepared.digest, versions(),
                      dict(prepared.held), inventories=[str(p) for p in inventories],
                      trusted_commit=prepared.trusted.commit, clock=clock, lab=prepared.lab, executor=executor.name)
    if not request.check:
        journal.save(estate)
    sealed = [bundle.root / "inventory", *(p.resolve() for p in request.overlays)]
    secrets = run_secrets(bundle.project, change, sealed, prepared.policies)
    return journal, RunRecord(folder, secrets), bundle


def run_secrets(project: Path, change: ChangeBase, inventories: list[Path], policies: Policies) -> Secrets:
    """The values and patterns this run must never write (see :mod:`changeops.execute.redaction`)."""
    settings = policies.rules.redaction
    env = clean_env(session_log=Path("/dev/null"))
    files = [f for source in [*inventories, project] for f in yaml_files(source)]
    names = [*settings.values_from_env, *environment_credentials(env)]
    return collect_secrets(files=files, step_vars=[s.vars for s in change.steps().values()], env_names=names,
                           patterns=settings.patterns, env=dict(os.environ), vault_password=vault_password(env))


def _finish(estate: Estate, journal: Journal, record: RunRecord, outcome: RunOutcome, *, commit: bool,
            archived: list[str]) -> None:
    from changeops.execute.recovery import close_out

    if outcome.check:
        record.close()
        shutil.rmtree(journal.workdir, ignore_errors=True)
        return
    result = outcome.result or RunResult.FAILED
    paths = _move_device(estate, outcome, journal.change) if result is RunResult.COMPLETED else []
    paths += archived
    record.summary(journal, result=result, finished=now_utc())
    try:
        committed = close_out(estate, journal, record, result=result, extra_paths=paths, commit=commit)
    except SecretLeakError:
        discard_captures(estate, archived)  # nothing of a run that leaked is committed, its captures neither
        raise
    outcome.commit, outcome.pushed = committed.sha if committed else None, bool(committed and committed.pushed)
    if committed and committed.detail and not committed.pushed and committed.detail != "no remote":
        outcome.notes.append(f"the run record is committed but not pushed: {committed.detail}")


def _move_device(estate: Estate, outcome: RunOutcome, change_id: str) -> list[str]:
    change = load_change(estate, change_id)
    move = getattr(change, "move", None)
    if move is None:
        return []
    from changeops.execute.device_move import record_new_location

    path = record_new_location(estate, move.device, move.to)
    return [estate.relative(path)] if path else []
