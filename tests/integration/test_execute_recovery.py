"""A run killed with SIGKILL is found by the next invocation, closed out as interrupted, committed, unlocked."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml
from changeops.estate.layout import Estate
from changeops.estate.state_dir import state_dir
from changeops.execute.preconditions import resolve_trusted, work_tree_problems
from changeops.execute.recovery import recover_interrupted
from changeops.execute.state import change_state
from execute_estate import AT, git, make_estate, summary

pytestmark = pytest.mark.integration
HOST = "dl-pop1-acc-sw1"
SCRIPT = """
import sys
from datetime import datetime
from pathlib import Path
from changeops.estate.layout import Estate
from changeops.execute.pipeline import run_change
from changeops.execute.progress import Progress
outcome = run_change(Estate(Path(sys.argv[1])), sys.argv[2], at=datetime.fromisoformat(sys.argv[3]),
                     overlays=[Path(sys.argv[4])], progress=Progress(live=False))
print(outcome.refused)
sys.exit(0 if outcome.ok else 1)
"""


def _command(root: Path, change_id: str, lab) -> list[str]:
    return [sys.executable, "-c", SCRIPT, str(root), change_id, AT, str(lab.info.overlay)]


def _start(root: Path, change_id: str, lab) -> subprocess.Popen:
    return subprocess.Popen(_command(root, change_id, lab), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)


def _wait_for(root: Path, change_id: str, stage: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for events in (root / "changes" / change_id / "runs").glob("*/events.jsonl"):
            for line in events.read_text().splitlines():
                if f'"stage": "{stage}"' in line and "changeops_stage_start" in line:
                    return
        time.sleep(0.05)
    raise AssertionError(f"the run never reached {stage}")


@pytest.mark.parametrize("stage", ["backup", "implementation"])
def test_killed_run_is_closed_out_as_interrupted(lab, tmp_path: Path, stage: str) -> None:
    lab.control.reset(HOST)
    change_id = f"CHG-20261208-lab-kill-{stage[:4]}"
    root = make_estate(tmp_path / "e", change_id, [HOST])
    process = _start(root, change_id, lab)
    _wait_for(root, change_id, stage)
    time.sleep(0.3)
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    assert git(root, "for-each-ref", "refs/changeops/locks/").strip(), "the killed run left its lock"

    recovered = recover_interrupted(Estate(root))

    assert [r.change for r in recovered] == [change_id]
    folder = next((root / "changes" / change_id / "runs").iterdir())
    record = summary(folder)
    assert record["result"] == "interrupted" and record["stages"][-1]["name"] == stage
    assert "Result: interrupted" in git(root, "log", "-1", "--format=%B")
    assert git(root, "for-each-ref", "refs/changeops/locks/") == ""
    assert not list((state_dir(root) / "active").glob("*.json"))
    assert change_state(Estate(root), change_id) == "interrupted"
    assert recover_interrupted(Estate(root)) == []
    for line in (folder / "events.jsonl").read_text().splitlines()[:-1]:
        json.loads(line)


def _stopped(pid: int, timeout: float = 120) -> None:
    """Wait until ``pid`` stopped itself at its kill point (state T)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] == "T":
            return
        time.sleep(0.05)
    raise AssertionError("the run never reached its kill point")


def test_captures_written_by_a_run_killed_before_its_commit_go_into_the_interrupted_record(lab, tmp_path: Path) -> None:
    """Killed between writing archive/ and committing: the next invocation commits the captures with the
    interrupted record, removes what the kill cut short, and leaves a clean tree the next run accepts."""
    lab.control.reset(HOST)
    change_id = "CHG-20261208-lab-kill-archive"
    root = make_estate(tmp_path / "e", change_id, [HOST])
    env = {**os.environ, "CHANGEOPS_TEST_KILL_AT": "after-archive"}
    process = subprocess.Popen(_command(root, change_id, lab), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                               start_new_session=True, env=env)
    _stopped(process.pid)
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    written = git(root, "ls-files", "--others", "--exclude-standard", "--", "archive").split()
    assert any("/captures/" in p for p in written) and any("/configs/" in p for p in written), written
    cut_short = root / "archive" / HOST / "configs" / "20261208T000000Z.cfg"  # a write the kill interrupted
    cut_short.write_text("hostname half-writ", encoding="utf-8")

    [recovered] = recover_interrupted(Estate(root))

    assert recovered.change == change_id and recovered.committed
    assert not cut_short.exists()
    in_commit = git(root, "show", "--name-only", "--format=", "HEAD").split()
    assert set(written) <= set(in_commit)
    captures = [p for p in written if "/captures/" in p]
    assert {yaml.safe_load((root / p).read_text())["run"] for p in captures} == {recovered.run}
    assert summary(next((root / "changes" / change_id / "runs").iterdir()))["result"] == "interrupted"
    trusted, problems = resolve_trusted(root, None)
    assert problems == [] and trusted is not None
    assert work_tree_problems(root, trusted) == []  # the next run in this clone is not refused a dirty tree
