"""Which playbook each stage runs: the rollback is verified by its own step when the record has one."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from changeops.execute.redaction import Secrets
from changeops.execute.run_record import Journal, RunRecord
from changeops.execute.stages import StagePlan, run_stages, time_limit
from changeops.policy.files import ExecutionSettings
from changeops.records.model import parse_change
from changeops.records.run_summary import HostOutcome, RunResult
from changeops.yaml12 import load
from support.scripted_executor import ScriptedExecutor

REPO = Path(__file__).resolve().parents[2]


def stages_run(tmp_path: Path, record: str, failing: set[str], *, check: bool = False,
               script: dict[str, dict[str, HostOutcome]] | None = None, hosts: list[str] | None = None) -> tuple[
        RunResult, ScriptedExecutor]:
    change = parse_change(load((REPO / "changes" / record / "change.yaml").read_bytes()).data)
    hosts = hosts or ["h1"]
    executor = ScriptedExecutor(script or {stage: {"h1": HostOutcome.FAILED} for stage in failing})
    plan = StagePlan(change, hosts, REPO / "playbooks", [REPO / "inventory"], tmp_path / "work", tmp_path / "backups",
                     check)
    journal = Journal("20261208T000000Z-abcdef", change.id, "2026-12-08T00:00:00Z", 1, "m", "0", str(tmp_path / "run"),
                      str(tmp_path / "work"), "op", None, {})
    record = RunRecord(tmp_path / "run", Secrets())
    result = run_stages(plan, executor, [], journal, record, save=None)
    record.close()
    return result, executor


@pytest.mark.parametrize(("record", "expected_after_rollback"), [
    ("CHG-20261210-dl-edge-upgrade", "17.09.04a"),   # its own rollback verification: the old version
    ("CHG-20261208-core-smu-snmp", "17.09.04a"),     # no rollback verification: the verification step
])
def test_rollback_is_verified_by_its_own_step_or_the_verification(tmp_path, record, expected_after_rollback):
    result, executor = stages_run(tmp_path, record, failing={"verification"})
    assert result is RunResult.ROLLED_BACK
    assert [r.name for r in executor.requests] == ["precheck", "backup", "implementation", "verification",
                                                   "rollback", "rollback-verification"]
    assert f'"expected_version": !unsafe "{expected_after_rollback}"' in executor.record_vars["rollback-verification"]


def test_upgrade_verification_expects_the_new_version() -> None:
    change = parse_change(load((REPO / "changes/CHG-20261210-dl-edge-upgrade/change.yaml").read_bytes()).data)
    assert change.verification.vars["expected_version"] == "17.12.04"
    assert change.rollback_verification.vars["expected_version"] == "17.09.04a"


def test_success_runs_no_rollback(tmp_path: Path) -> None:
    result, executor = stages_run(tmp_path, "CHG-20261210-dl-edge-upgrade", failing=set())
    assert result is RunResult.COMPLETED and executor.requests[-1].name == "verification"


def test_a_failed_precheck_stops_before_anything_changes(tmp_path: Path) -> None:
    result, executor = stages_run(tmp_path, "CHG-20261210-dl-edge-upgrade", failing={"precheck"})
    assert result is RunResult.FAILED and [r.name for r in executor.requests] == ["precheck"]


def test_a_preview_runs_implementation_and_rollback_in_check_mode(tmp_path: Path) -> None:
    result, executor = stages_run(tmp_path, "CHG-20261208-core-smu-snmp", failing=set(), check=True)
    assert result is RunResult.CHECKED
    assert [(r.name, r.check) for r in executor.requests] == [("implementation", True), ("rollback", True)]


def test_rollback_runs_only_where_the_implementation_touched_a_host(tmp_path: Path) -> None:
    """h2 was unreachable: nothing ran there, so the rollback (not idempotent) must not run there either."""
    script = {"implementation": {"h2": HostOutcome.UNREACHABLE}}
    result, executor = stages_run(tmp_path, "CHG-20261208-core-smu-snmp", set(), script=script, hosts=["h1", "h2"])
    assert result is RunResult.ROLLED_BACK
    rollback = next(r for r in executor.requests if r.name == "rollback")
    verify = next(r for r in executor.requests if r.name == "rollback-verification")
    assert rollback.targets == ("h1",) and verify.targets == ("h1",)


def test_nothing_touched_means_no_rollback(tmp_path: Path) -> None:
    script = {"implementation": {"h1": HostOutcome.UNREACHABLE}}
    result, executor = stages_run(tmp_path, "CHG-20261208-core-smu-snmp", set(), script=script)
    assert result is RunResult.FAILED and "rollback" not in [r.name for r in executor.requests]


def test_a_stage_that_times_out_fails_and_every_stage_has_a_time_limit(tmp_path: Path) -> None:
    script = {"verification": {"h1": HostOutcome.TIMED_OUT}}
    result, executor = stages_run(tmp_path, "CHG-20261208-core-smu-snmp", set(), script=script)
    assert result is RunResult.ROLLED_BACK
    assert all(r.timeout and r.timeout > 0 for r in executor.requests)
    assert all(r.env["ANSIBLE_PERSISTENT_COMMAND_TIMEOUT"] == "300" for r in executor.requests)


INSPECTION = "CHG-20261224-monthly-inspection"


def test_a_failed_inspection_has_nothing_to_roll_back(tmp_path: Path) -> None:
    result, executor = stages_run(tmp_path, INSPECTION, failing={"verification"})
    assert result is RunResult.FAILED
    assert [r.name for r in executor.requests] == ["precheck", "backup", "implementation", "verification"]


def test_an_inspection_preview_runs_the_inspection_only_and_gets_the_checklist(tmp_path: Path) -> None:
    result, executor = stages_run(tmp_path, INSPECTION, failing=set(), check=True)
    assert result is RunResult.CHECKED and [r.name for r in executor.requests] == ["implementation"]
    assert '"inspection_checklist": [!unsafe "version", !unsafe "inventory"' in executor.record_vars["implementation"]


def test_time_limits_may_be_given_in_seconds_and_a_step_keeps_its_own(tmp_path: Path) -> None:
    """The demo patch: implementation has its own 90 minutes; every other stage takes the default."""
    change = parse_change(load((REPO / "changes" / "CHG-20261208-core-smu-snmp" / "change.yaml").read_bytes()).data)
    limits = ExecutionSettings(stage_timeout_seconds=20)
    # precheck, backup, verification, rollback, rollback verification at 20 s; implementation at 90 min
    assert time_limit(change, limits) == timedelta(seconds=5 * 20 + 90 * 60)
    assert time_limit(change, ExecutionSettings()) == timedelta(minutes=5 * 120 + 90)
    executor = ScriptedExecutor()
    plan = StagePlan(change, ["h1"], REPO / "playbooks", [REPO / "inventory"], tmp_path / "work", tmp_path / "b", False,
                     limits)
    journal = Journal("20261208T000000Z-abcdef", change.id, "2026-12-08T00:00:00Z", 1, "m", "0", str(tmp_path / "run"),
                      str(tmp_path / "work"), "op", None, {})
    record = RunRecord(tmp_path / "run", Secrets())
    run_stages(plan, executor, [], journal, record, save=None)
    record.close()
    assert {r.name: r.timeout for r in executor.requests} == {"precheck": 20, "backup": 20,
                                                              "implementation": 90 * 60, "verification": 20}
