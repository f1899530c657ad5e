"""Exactly once: lost runners closed out from the remote, idempotent close-out, the outbox, stale clones."""

from __future__ import annotations

import json
import shutil
import subprocess
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from changeops.estate.layout import Estate
from changeops.estate.state_dir import state_dir
from changeops.execute import locks
from changeops.execute.lost_runs import unlock
from changeops.execute.recovery import recover_interrupted
from changeops.records.run_summary import RunResult, RunSummary, read_summary, write_summary
from execute_estate import git, make_estate
from support.scripted_executor import ScriptedExecutor
from test_execute_pipeline import CHANGE, HOSTS, _run

pytestmark = pytest.mark.integration
LOST_RUN = "20261208T003000Z-0a0b0c"


def _with_remote(root: Path) -> Path:
    remote = root.parent / "remote.git"
    subprocess.run(["git", "init", "-q", "--bare", "-b", "main", str(remote)], check=True)
    git(root, "remote", "add", "origin", str(remote))
    git(root, "push", "-q", "-u", "origin", "main")
    return remote


def _plant_lock(root: Path, host: str, *, lease: datetime, machine: str = "elsewhere") -> None:
    payload = json.dumps({"run": LOST_RUN, "change": CHANGE, "host": host, "targets": HOSTS, "machine": machine,
                          "pid": 4242, "process_start": "1", "started": "2026-12-07T16:30:00+00:00",
                          "lease_until": lease.isoformat()})
    tree = git(root, "hash-object", "-t", "tree", "-w", "/dev/null").strip()
    sha = git(root, "commit-tree", tree, "-m", payload).strip()
    git(root, "push", "-q", "origin", f"{sha}:refs/changeops/locks/{host}")


def test_a_lost_runner_is_closed_out_from_the_remote_by_any_runner(tmp_path: Path) -> None:
    root = make_estate(tmp_path / "e", CHANGE, HOSTS)
    remote = _with_remote(root)
    for host in HOSTS:
        _plant_lock(root, host, lease=datetime.now(UTC) - timedelta(minutes=1))
    recovered = recover_interrupted(Estate(root))
    assert [(r.run, r.change) for r in recovered] == [(LOST_RUN, CHANGE)]
    record = f"changes/{CHANGE}/runs/{LOST_RUN}/summary.yaml"
    assert "result: interrupted" in git(remote, "show", f"main:{record}")
    summary = read_summary(root / record)
    assert summary.result is RunResult.INTERRUPTED and "may have been changed" in summary.notes[0]
    assert git(remote, "for-each-ref", "refs/changeops/locks/") == ""
    assert recover_interrupted(Estate(root)) == [], "closed out once"


def test_a_lock_within_its_lease_is_respected(tmp_path: Path) -> None:
    root = make_estate(tmp_path / "e", CHANGE, HOSTS)
    _with_remote(root)
    _plant_lock(root, HOSTS[0], lease=datetime.now(UTC) + timedelta(hours=2))
    assert recover_interrupted(Estate(root)) == []
    executor = ScriptedExecutor()
    outcome = _run(root, tmp_path, executor)
    assert [f.rule for f in outcome.refused] == ["run-locked"] and executor.requests == []


def test_unlock_by_hand_needs_a_reason_and_is_committed(tmp_path: Path) -> None:
    from changeops.errors import UsageError

    root = make_estate(tmp_path / "e", CHANGE, HOSTS)
    remote = _with_remote(root)
    _plant_lock(root, HOSTS[0], lease=datetime.now(UTC) + timedelta(hours=2))
    with pytest.raises(UsageError):
        unlock(Estate(root), HOSTS[0], reason=" ")
    unlock(Estate(root), HOSTS[0], reason="runner host lost, device checked by hand")
    assert git(remote, "for-each-ref", "refs/changeops/locks/") == ""
    message = git(remote, "log", "-1", "--format=%B", "main")
    assert "runner host lost" in message and f"Unlocked-Host: {HOSTS[0]}" in message


def test_a_run_killed_after_its_commit_is_not_relabelled(tmp_path: Path) -> None:
    root = make_estate(tmp_path / "e", CHANGE, HOSTS)
    outcome = _run(root, tmp_path, ScriptedExecutor())
    assert outcome.result is RunResult.COMPLETED
    journal = {"run": outcome.run_id, "change": CHANGE, "started": "2026-12-08T00:30:00Z", "pid": 999999,
               "machine": locks.machine(), "process_start": "1",
               "folder": str(root / "changes" / CHANGE / "runs" / outcome.run_id),
               "workdir": str(state_dir(root) / "work" / "gone"), "operator": "x", "plan_digest": None,
               "versions": {}}
    active = state_dir(root) / "active"
    active.mkdir(exist_ok=True)
    (active / f"{outcome.run_id}.json").write_text(json.dumps(journal))
    recover_interrupted(Estate(root))
    assert read_summary(outcome.folder / "summary.yaml").result is RunResult.COMPLETED
    assert not list(active.glob("*.json"))


def test_the_outbox_is_pushed_by_the_next_invocation(tmp_path: Path) -> None:
    root = make_estate(tmp_path / "e", CHANGE, HOSTS)
    remote = _with_remote(root)
    moved = tmp_path / "away.git"
    shutil.move(remote, moved)  # the remote is unreachable at the end of the run
    outcome = _run(root, tmp_path, ScriptedExecutor())
    assert outcome.refused and outcome.refused[0].rule == "run-trusted-ref", "no run without the remote"
    shutil.move(moved, remote)
    outcome = _run(root, tmp_path, ScriptedExecutor())
    assert outcome.pushed
    git(root, "commit", "-q", "--allow-empty", "-m", "a local commit not yet pushed")
    recover_interrupted(Estate(root))
    assert git(remote, "rev-parse", "main") == git(root, "rev-parse", "HEAD")


def test_a_clone_that_has_not_pulled_does_not_run_again(tmp_path: Path) -> None:
    root = make_estate(tmp_path / "e", CHANGE, HOSTS)
    remote = _with_remote(root)
    stale = tmp_path / "stale"
    subprocess.run(["git", "clone", "-q", str(remote), str(stale)], check=True)
    assert _run(root, tmp_path, ScriptedExecutor()).result is RunResult.COMPLETED
    again = ScriptedExecutor()
    outcome = _run(stale, tmp_path, again)
    assert [f.rule for f in outcome.refused] == ["run-head"] and again.requests == []


def _push_record(remote: Path, tmp_path: Path, result: str) -> None:
    """The lost runner's own push, landing after another clone was checked out."""
    other = tmp_path / "lost-runner"
    subprocess.run(["git", "clone", "-q", str(remote), str(other)], check=True)
    folder = other / "changes" / CHANGE / "runs" / LOST_RUN
    folder.mkdir(parents=True)
    started = datetime(2026, 12, 7, 16, 30, tzinfo=UTC)
    write_summary(folder, RunSummary(run=LOST_RUN, change=CHANGE, started=started,
                                     finished=started + timedelta(minutes=10), result=RunResult(result),
                                     operator="runner on elsewhere"))
    git(other, "add", "-A")
    git(other, "commit", "-q", "-m", f"Run {LOST_RUN}\n\nChange-Id: {CHANGE}\nRun-Id: {LOST_RUN}\nResult: {result}")
    git(other, "push", "-q", "origin", "main")


def test_a_clone_behind_the_remote_does_not_relabel_a_lost_run_the_remote_recorded(tmp_path: Path) -> None:
    """The runner died after its push and before releasing its locks; this clone was checked out before the push."""
    root = make_estate(tmp_path / "e", CHANGE, HOSTS)
    remote = _with_remote(root)
    for host in HOSTS:
        _plant_lock(root, host, lease=datetime.now(UTC) - timedelta(minutes=1))
    _push_record(remote, tmp_path, "completed")
    before = git(remote, "rev-parse", "main")

    [recovered] = recover_interrupted(Estate(root))

    assert recovered.already_recorded and recovered.committed is None
    assert git(remote, "rev-parse", "main") == before, "nothing recorded twice"
    assert "result: completed" in git(remote, "show", f"main:changes/{CHANGE}/runs/{LOST_RUN}/summary.yaml")
    assert git(remote, "for-each-ref", "refs/changeops/locks/") == ""
    git(root, "pull", "-q", "--ff-only")  # the clone did not diverge from the remote
    assert read_summary(root / "changes" / CHANGE / "runs" / LOST_RUN / "summary.yaml").result is RunResult.COMPLETED


def test_the_locks_of_a_lost_run_stay_until_its_record_reaches_the_remote(tmp_path: Path) -> None:
    root = make_estate(tmp_path / "e", CHANGE, HOSTS)
    remote = _with_remote(root)
    for host in HOSTS:
        _plant_lock(root, host, lease=datetime.now(UTC) - timedelta(minutes=1))
    hook = remote / "hooks" / "pre-receive"
    hook.write_text("#!/bin/sh\nwhile read old new ref; do [ \"$ref\" = refs/heads/main ] && exit 1; done\nexit 0\n")
    hook.chmod(0o755)

    [first] = recover_interrupted(Estate(root))

    assert first.locks_kept and first.committed, "recorded here, not on the remote"
    assert len(git(remote, "for-each-ref", "refs/changeops/locks/").splitlines()) == len(HOSTS)
    hook.unlink()
    [second] = recover_interrupted(Estate(root))
    assert not second.locks_kept and second.committed is None, "pushed, not recorded a second time"
    assert git(remote, "for-each-ref", "refs/changeops/locks/") == ""
    assert git(remote, "log", "--format=%B", "main").count(f"Run-Id: {LOST_RUN}") == 1


def test_a_run_whose_record_the_remote_refused_keeps_its_locks_there_until_the_record_arrives(tmp_path: Path) -> None:
    """The devices were changed and the record could not be pushed: were the locks released, a discarded clone
    would leave the change with no trace on the remote. They stay, and the next command in the clone pushes the
    record, then releases them."""
    root = make_estate(tmp_path / "e", CHANGE, HOSTS)
    remote = _with_remote(root)
    hook = remote / "hooks" / "pre-receive"
    hook.write_text("#!/bin/sh\nwhile read old new ref; do [ \"$ref\" = refs/heads/main ] && exit 1; done\nexit 0\n")
    hook.chmod(0o755)

    outcome = _run(root, tmp_path, ScriptedExecutor())

    assert outcome.result is RunResult.COMPLETED and outcome.commit and not outcome.pushed
    assert any("locks stay on the remote" in note for note in outcome.notes)
    held = git(remote, "for-each-ref", "--format=%(refname)", "refs/changeops/locks/").split()
    assert sorted(held) == sorted(f"refs/changeops/locks/{host}" for host in HOSTS)
    other = tmp_path / "other"
    subprocess.run(["git", "clone", "-q", str(remote), str(other)], check=True)
    assert recover_interrupted(Estate(other)) == [], "another runner respects the lease"
    assert len(git(remote, "for-each-ref", "refs/changeops/locks/").splitlines()) == len(HOSTS)

    hook.unlink()
    recover_interrupted(Estate(root))

    record = f"changes/{CHANGE}/runs/{outcome.run_id}/summary.yaml"
    assert "result: completed" in git(remote, "show", f"main:{record}")
    assert git(remote, "for-each-ref", "refs/changeops/locks/") == ""
