"""Refusals: nothing is executed or changed, exit 1 with the reason."""

from __future__ import annotations

from pathlib import Path

import pytest
import typer
from changeops.cli.execute import register
from execute_estate import AT, git, make_estate
from typer.testing import CliRunner

pytestmark = pytest.mark.integration
CHANGE = "CHG-20261208-lab-refused"
HOST = "sy-dc2-acc-sw1"


def _app() -> typer.Typer:
    app = typer.Typer()
    register(app)
    return app


def _run(root: Path, *args: str):
    return CliRunner().invoke(_app(), ["run", CHANGE, "--repo", str(root), *args])


def _untouched(lab, root: Path, before: dict) -> None:
    assert lab.control.device_state(HOST)["running_config"] == before["running_config"]
    assert not (root / "changes" / CHANGE / "runs").exists()
    assert git(root, "for-each-ref", "refs/changeops/") == ""


@pytest.fixture
def before(lab) -> dict:
    lab.control.reset(HOST)
    return lab.control.device_state(HOST)


def test_unapproved_change_is_refused(lab, tmp_path: Path, before: dict) -> None:
    root = make_estate(tmp_path / "e", CHANGE, [HOST], approve=False)
    result = _run(root, "--at", AT, "--inventory", str(lab.info.overlay))
    assert result.exit_code == 1 and "approval quorum not met" in result.output
    _untouched(lab, root, before)


def test_outside_the_window_is_refused(lab, tmp_path: Path, before: dict) -> None:
    root = make_estate(tmp_path / "e", CHANGE, [HOST])
    result = _run(root, "--at", "2026-12-08T05:00:00+08:00", "--inventory", str(lab.info.overlay))
    assert result.exit_code == 1 and "outside the change's window" in result.output
    _untouched(lab, root, before)


def test_invalid_record_and_failing_policy_are_refused(lab, tmp_path: Path, before: dict) -> None:
    root = make_estate(tmp_path / "e", CHANGE, [HOST])
    rules = root / "policies" / "rules.yml"
    rules.write_text(rules.read_text().replace("working_days: 3", "working_days: 30"))
    result = _run(root, "--at", AT, "--inventory", str(lab.info.overlay))
    assert result.exit_code == 1 and "policy-notice" in result.output
    _untouched(lab, root, before)


def test_freeze_is_refused(lab, tmp_path: Path, before: dict) -> None:
    root = make_estate(tmp_path / "e", CHANGE, [HOST])
    freezes = root / "policies" / "freezes.yml"
    freezes.write_text(freezes.read_text() + "  - name: Emergency network works\n    reason: carrier works\n"
                       "    once: {start: 2026-12-08, end: 2026-12-08}\n")
    result = _run(root, "--at", AT, "--inventory", str(lab.info.overlay))
    assert result.exit_code == 1 and "freeze" in result.output
    _untouched(lab, root, before)


def test_locked_target_is_refused(lab, tmp_path: Path, before: dict) -> None:
    root = make_estate(tmp_path / "e", CHANGE, [HOST])
    payload = '{"run": "20261208T000000Z-other", "change": "CHG-other", "machine": "elsewhere", "pid": 1}'
    sha = git(root, "commit-tree", git(root, "hash-object", "-t", "tree", "-w", "/dev/null").strip(), "-m", payload)
    git(root, "update-ref", f"refs/changeops/locks/{HOST}", sha.strip())
    result = _run(root, "--at", AT, "--inventory", str(lab.info.overlay))
    assert result.exit_code == 1 and f"{HOST} is locked by run 20261208T000000Z-other" in result.output
    assert lab.control.device_state(HOST)["running_config"] == before["running_config"]
    assert not (root / "changes" / CHANGE / "runs").exists()
