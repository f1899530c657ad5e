"""Refusals: nothing is executed or changed, exit 1 with the reason."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import typer
from changeops.cli.execute import register
from execute_estate import AT, git, make_estate
from support.estate import replace_once
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
    replace_once(rules, "working_days: 3", "working_days: 30")
    git(root, "commit", "-qam", "stricter notice")
    result = _run(root, "--at", AT, "--inventory", str(lab.info.overlay))
    assert result.exit_code == 1 and "policy-notice" in result.output
    _untouched(lab, root, before)


def test_freeze_is_refused(lab, tmp_path: Path, before: dict) -> None:
    root = make_estate(tmp_path / "e", CHANGE, [HOST])
    freezes = root / "policies" / "freezes.yml"
    freezes.write_text(freezes.read_text() + "  - name: Emergency network works\n    reason: carrier works\n"
                       "    once: {start: 2026-12-08, end: 2026-12-08}\n")
    git(root, "commit", "-qam", "a freeze")
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


def test_an_uncommitted_policy_edit_is_refused_not_obeyed(lab, tmp_path: Path, before: dict) -> None:
    """A freeze committed on main cannot be lifted by editing the runner's work tree."""
    root = make_estate(tmp_path / "e", CHANGE, [HOST])
    freezes = root / "policies" / "freezes.yml"
    freezes.write_text(freezes.read_text() + "  - name: Emergency network works\n    reason: carrier works\n"
                       "    once: {start: 2026-12-08, end: 2026-12-08}\n")
    git(root, "commit", "-qam", "a freeze")
    freezes.write_text(freezes.read_text().replace("Emergency network works", "x").split("  - name: x")[0])
    result = _run(root, "--at", AT, "--inventory", str(lab.info.overlay))
    assert result.exit_code == 1 and "run-dirty-tree" in result.output and "policies/freezes.yml" in result.output
    _untouched(lab, root, before)


def test_a_head_that_is_not_the_trusted_ref_is_refused(lab, tmp_path: Path, before: dict) -> None:
    root = make_estate(tmp_path / "e", CHANGE, [HOST])
    git(root, "checkout", "-qb", "feature")
    (root / "README.md").write_text("branch work\n")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "branch")
    result = _run(root, "--at", AT, "--inventory", str(lab.info.overlay))
    assert result.exit_code == 1 and "run-head" in result.output
    _untouched(lab, root, before)


def test_the_clock_cannot_be_moved_for_a_real_run(lab, tmp_path: Path, before: dict) -> None:
    """--at without the lab overlay (the targets' real addresses) is refused before anything else."""
    root = make_estate(tmp_path / "e", CHANGE, [HOST])
    result = _run(root, "--at", AT)
    assert result.exit_code == 1 and "run-clock" in result.output
    _untouched(lab, root, before)


@pytest.mark.parametrize("argument", ["../../x", "/tmp/CHG-20261208-lab-refused", "changes/CHG-20261208-lab-refused"])
def test_a_path_is_not_a_change_id(lab, tmp_path: Path, before: dict, argument: str) -> None:
    root = make_estate(tmp_path / "e", CHANGE, [HOST])
    result = CliRunner().invoke(_app(), ["run", argument, "--repo", str(root), "--at", AT,
                                         "--inventory", str(lab.info.overlay)])
    assert result.exit_code == 1 and "run-change-id" in result.output
    _untouched(lab, root, before)


def test_a_journal_planted_in_the_work_tree_is_never_read(lab, tmp_path: Path, before: dict) -> None:
    """Run state lives outside the work tree: a forged journal a branch adds is inert."""
    root = make_estate(tmp_path / "e", CHANGE, [HOST])
    victim = tmp_path / "victim"
    victim.mkdir()
    forged = root / ".changeops_state" / "active"
    forged.mkdir(parents=True)
    (forged / "20261208T000000Z-abcdef.json").write_text(json.dumps({
        "run": "20261208T000000Z-abcdef", "change": CHANGE, "started": "2026-12-08T00:00:00Z", "pid": 999999,
        "machine": "x", "process_start": "0", "folder": str(victim), "workdir": str(victim), "operator": "x",
        "plan_digest": None, "versions": {}}))
    git(root, "add", "-f", ".changeops_state")
    git(root, "commit", "-qm", "planted journal")
    result = _run(root, "--at", AT, "--inventory", str(lab.info.overlay))
    assert "closed out" not in result.output
    assert victim.is_dir(), "a planted journal's paths were deleted"


def test_validate_reports_run_state_tracked_in_git(tmp_path: Path) -> None:
    from changeops.estate.layout import Estate
    from changeops.validation.validate import validate

    root = make_estate(tmp_path / "e", CHANGE, [HOST], approve=False)
    (root / ".lab").mkdir()
    (root / ".lab" / "inventory.yml").write_text("all: {}\n")
    git(root, "add", "-f", ".lab")
    git(root, "commit", "-qm", "planted lab overlay")
    found = [f for f in validate(Estate(root)).findings if f.rule == "state-tracked"]
    assert [f.file for f in found] == [".lab/inventory.yml"]
