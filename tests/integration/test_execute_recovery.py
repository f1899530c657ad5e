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
from changeops.estate.layout import Estate
from changeops.estate.state_dir import state_dir
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
