"""The stage sequence of a run: precheck → backup → implementation → verification, else rollback.

On failure of the implementation or its verification, the rollback runs — only on the
hosts the implementation touched (a host it never reached has nothing to undo) — and is
verified by the record's ``rollback_verification`` step (default: the verification
step). Every stage has a time limit (the step's ``timeout_minutes``, else ``rules.yml``'s
``execution.stage_timeout_minutes`` or ``stage_timeout_seconds``); a device that stops
answering ends as timed-out. A preview runs the implementation and the rollback in check
mode; only the implementation's result decides it. Each stage goes to the executor as a
:class:`~changeops.execute.executor.StageRequest`; the observers see everything.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from changeops.execute import kill_points
from changeops.execute.events import HostEvent
from changeops.execute.executor import Executor, StageRequest, StageResult, touched_hosts
from changeops.execute.inspection import InspectionContext, inspection_result, result_file_data
from changeops.execute.observers import RunObserver
from changeops.execute.record_vars import write_record_vars
from changeops.execute.run_record import Journal, RunRecord, StageEntry, now_utc, stamp
from changeops.policy.files import ExecutionSettings
from changeops.records.model import ChangeBase, InspectionChange, Step
from changeops.records.run_summary import RunResult


@dataclass(frozen=True)
class StagePlan:
    """What the stages run on and where: the change, its hosts, the project and inventories, the folders."""

    change: ChangeBase
    hosts: list[str]
    project: Path
    inventories: list[Path]
    workdir: Path
    backup_dir: Path
    check: bool
    limits: ExecutionSettings = ExecutionSettings()
    env: dict[str, str] | None = None
    """The sealed bundle's Ansible environment (its pinned configuration), applied last."""
    playbooks: Path | None = None
    """Where the steps' playbooks are (default: the project)."""
    inspection: InspectionContext | None = None
    """Thresholds and the previous result, when the change is an inspection."""


def run_stages(plan: StagePlan, executor: Executor, observers: list[RunObserver], journal: Journal,
               record: RunRecord, *, save: Callable[[], None] | None) -> RunResult:
    """Run the stages; the run's result."""
    runner = _StageRunner(plan, executor, observers, journal, record, save)
    steps = plan.change.steps()
    if plan.check:
        implemented = runner.stage("implementation", steps["implementation"], check=True)
        if "rollback" in steps:
            runner.stage("rollback", steps["rollback"], check=True)
        return RunResult.CHECKED if implemented.ok else RunResult.FAILED
    for name in ("precheck", "backup"):
        if name in steps and not runner.stage(name, steps[name]).ok:
            return RunResult.FAILED
    implemented = runner.stage("implementation", steps["implementation"])
    _inspection(plan, record, implemented)
    if implemented.ok and runner.stage("verification", steps["verification"]).ok:
        _drill(plan, record, implemented)
        return RunResult.COMPLETED
    _drill(plan, record, implemented)
    touched = touched_hosts(implemented)
    if not touched or "rollback" not in steps:
        return RunResult.FAILED  # nothing was changed (or the change is read-only): nothing to roll back
    rolled = runner.stage("rollback", steps["rollback"], hosts=touched)
    verified = runner.stage("rollback-verification", steps.get("rollback_verification", steps["verification"]),
                            hosts=touched)
    return RunResult.ROLLED_BACK if rolled.ok and verified.ok else RunResult.FAILED


@dataclass
class _StageRunner:
    plan: StagePlan
    executor: Executor
    observers: list[RunObserver]
    journal: Journal
    record: RunRecord
    save: Callable[[], None] | None

    def stage(self, name: str, step: Step, *, check: bool = False, hosts: list[str] | None = None) -> StageResult:
        targets = hosts if hosts is not None else self.plan.hosts
        entry = StageEntry(name, stamp(now_utc()))
        self.journal.stages.append(entry)
        self._save()
        for observer in self.observers:
            observer.stage_started(name, step.playbook, targets)
        kill_points.reached(f"before-{name}")
        result = self.executor.run_stage(self._request(name, step, check, targets), self._observe)
        entry.finished, entry.hosts = stamp(now_utc()), {h: o.value for h, o in result.hosts.items()}
        if result.note:
            self.journal.notes.append(f"{name}: {result.note}")
        if name == "backup":
            self.record.backups(self.plan.backup_dir, self.plan.hosts)
        for observer in self.observers:
            observer.stage_finished(result)
        self._save()
        return result

    def _request(self, name: str, step: Step, check: bool, targets: list[str]) -> StageRequest:
        folder = self.plan.workdir / name
        folder.mkdir(parents=True, exist_ok=True)
        self.plan.backup_dir.mkdir(parents=True, exist_ok=True)
        control = {"changeops_run": self.journal.run, "changeops_backup_dir": str(self.plan.backup_dir)}
        if name == "backup":
            control["backup_dir"] = str(self.plan.backup_dir)
        return StageRequest(name=name, playbook=((self.plan.playbooks or self.plan.project) / step.playbook),
                            project=self.plan.project, inventories=tuple(self.plan.inventories),
                            record_vars=write_record_vars(folder / "record-vars.yml", self._variables(name, step)),
                            targets=tuple(targets), folder=folder, control_vars=control, check=check,
                            timeout=stage_seconds(step, self.plan.limits),
                            env={**_timeouts(self.plan.limits), **(self.plan.env or {})})

    def _variables(self, name: str, step: Step) -> dict[str, object]:
        """The step's variables; an inspection's playbook also gets the record's checklist (data, like them)."""
        variables: dict[str, object] = dict(step.vars)
        if name == "implementation" and isinstance(self.plan.change, InspectionChange):
            variables["inspection_checklist"] = list(self.plan.change.inspection.checklist)
        return variables

    def _observe(self, event: HostEvent) -> None:
        for observer in self.observers:
            observer.host_event(event)

    def _save(self) -> None:
        if self.save is not None:
            self.save()


def _drill(plan: StagePlan, record: RunRecord, implemented: StageResult) -> None:
    drill = getattr(plan.change, "drill", None)
    timings = implemented.stats.get("drill") if drill is not None else None
    if drill is None or not isinstance(timings, dict):
        return
    rto = drill.objectives.rto_minutes * 60
    hosts = {}
    for host, data in sorted(timings.items()):
        seconds = data.get("recovery_seconds") if isinstance(data, dict) else None
        hosts[host] = {"recovery_seconds": seconds, "within_rto": seconds is not None and seconds <= rto,
                       **{k: data.get(k) for k in ("started_at", "recovered_at", "restored_at")}}
    measured = [h["recovery_seconds"] for h in hosts.values() if h["recovery_seconds"] is not None]
    record.write_yaml("drill.yaml", {
        "runbook": drill.runbook, "rto_seconds": rto, "rpo_minutes": drill.objectives.rpo_minutes,
        "achieved_seconds": max(measured) if measured else None,
        "met": bool(measured) and len(measured) == len(hosts) and max(measured) <= rto, "hosts": hosts})


def _inspection(plan: StagePlan, record: RunRecord, implemented: StageResult) -> None:
    """An inspection's measured, judged result, written even when some devices could not be inspected."""
    if not isinstance(plan.change, InspectionChange) or plan.inspection is None or plan.check:
        return
    name, data = result_file_data(inspection_result(plan.change, plan.inspection, implemented, now_utc()))
    record.write_yaml(name, data)


def time_limit(change: ChangeBase, limits: ExecutionSettings) -> timedelta:
    """The longest a run of ``change`` can take: every stage that may run at its time limit."""
    steps = change.steps()
    names = [*steps, *(["rollback_verification"] if "rollback" in steps and "rollback_verification" not in steps
                       else [])]
    return timedelta(seconds=sum(stage_seconds(steps.get(name, steps["verification"]), limits) for name in names))


def stage_seconds(step: Step, limits: ExecutionSettings) -> int:
    """A stage's time limit: the step's own, else the default of ``rules.yml``."""
    return 60 * step.timeout_minutes if step.timeout_minutes else limits.stage_seconds


def _timeouts(limits: ExecutionSettings) -> dict[str, str]:
    """Connection and command time limits, as Ansible reads them from the environment."""
    connect, command = str(limits.connect_timeout_seconds), str(limits.command_timeout_seconds)
    return {"ANSIBLE_TIMEOUT": connect, "ANSIBLE_PERSISTENT_CONNECT_TIMEOUT": connect,
            "ANSIBLE_PERSISTENT_COMMAND_TIMEOUT": command}
