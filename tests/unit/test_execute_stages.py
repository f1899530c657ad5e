"""Which playbook each stage runs: the rollback is verified by its own step when the record has one."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest
from changeops.execute import pipeline
from changeops.records.model import parse_change
from changeops.yaml12 import load

REPO = Path(__file__).resolve().parents[2]


def stages_run(monkeypatch, record: str, failing: set[str]) -> tuple[str, list[tuple[str, str]]]:
    change = parse_change(load((REPO / "changes" / record / "change.yaml").read_bytes()).data)
    ran: list[tuple[str, str]] = []

    def stage(ctx, name, step, check=False):
        ran.append((name, step.playbook if name != "rollback-verification" else str(step.vars.get("expected_version"))))
        return SimpleNamespace(ok=name not in failing, stats={})

    monkeypatch.setattr(pipeline, "_stage", stage)
    monkeypatch.setattr(pipeline, "_drill", lambda ctx, implemented: None)
    result = pipeline._stages(SimpleNamespace(change=change, check=False))
    return result, ran


@pytest.mark.parametrize(("record", "expected_after_rollback"), [
    ("CHG-20261210-dl-edge-upgrade", "17.09.04a"),   # its own rollback verification: the old version
    ("CHG-20261208-core-smu-snmp", "17.09.04a"),     # no rollback verification: the verification step
])
def test_rollback_is_verified_by_its_own_step_or_the_verification(monkeypatch, record, expected_after_rollback):
    result, ran = stages_run(monkeypatch, record, failing={"verification"})
    assert result == "rolled-back"
    assert [name for name, _ in ran] == ["precheck", "backup", "implementation", "verification", "rollback",
                                        "rollback-verification"]
    assert ran[-1][1] == expected_after_rollback


def test_upgrade_verification_expects_the_new_version(monkeypatch):
    change = parse_change(load((REPO / "changes/CHG-20261210-dl-edge-upgrade/change.yaml").read_bytes()).data)
    assert change.verification.vars["expected_version"] == "17.12.04"
    assert change.rollback_verification.vars["expected_version"] == "17.09.04a"


def test_success_runs_no_rollback(monkeypatch):
    result, ran = stages_run(monkeypatch, "CHG-20261210-dl-edge-upgrade", failing=set())
    assert result == "completed" and [n for n, _ in ran][-1] == "verification"
