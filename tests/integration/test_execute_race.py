"""Two clones of one repository: their run records both reach the remote once; one device, one run at a time."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
import yaml
from execute_estate import approve_change, git, make_estate, remote_with_clones
from test_execute_recovery import _command, _start, _wait_for

pytestmark = pytest.mark.integration
A, B = "CHG-20261208-lab-race-a", "CHG-20261208-lab-race-b"


def _two_clones(tmp_path: Path, hosts_b: list[str]) -> tuple[Path, Path, Path]:
    root = make_estate(tmp_path / "origin-work", A, ["sy-dc2-core-r1"])
    record = yaml.safe_load((root / "changes" / A / "change.yaml").read_text())
    record.update(id=B, targets=hosts_b)
    (root / "changes" / B).mkdir()
    (root / "changes" / B / "change.yaml").write_text(yaml.safe_dump(record, allow_unicode=True, sort_keys=False))
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", B)
    approve_change(root, B)
    remote, (one, two) = remote_with_clones(root, tmp_path, ("one", "two"))
    return remote, one, two


def test_racing_clones_both_push_their_run_records_once(lab, tmp_path: Path) -> None:
    for host in ("sy-dc2-core-r1", "dl-pop1-edge-r1"):
        lab.control.reset(host)
    remote, one, two = _two_clones(tmp_path, ["dl-pop1-edge-r1"])
    first, second = _start(one, A, lab), _start(two, B, lab)
    assert first.wait(timeout=120) == 0 and second.wait(timeout=120) == 0

    log = subprocess.run(["git", "log", "--format=%B", "main"], cwd=remote, capture_output=True, text=True).stdout
    assert log.count(f"Change-Id: {A}") == 1 and log.count(f"Change-Id: {B}") == 1
    files = subprocess.run(["git", "ls-tree", "-r", "--name-only", "main"], cwd=remote, capture_output=True,
                           text=True).stdout.splitlines()
    assert sum(f.endswith("/summary.yaml") for f in files) == 2
    locks = subprocess.run(["git", "for-each-ref", "refs/changeops/"], cwd=remote, capture_output=True, text=True)
    assert locks.stdout == ""


def test_second_run_on_a_locked_device_is_refused(lab, tmp_path: Path) -> None:
    lab.control.reset("sy-dc2-core-r1")
    remote, one, two = _two_clones(tmp_path, ["dl-pop1-edge-r1"])
    first = _start(one, A, lab)
    _wait_for(one, A, "backup")
    second = subprocess.run(_command(two, A, lab), capture_output=True, text=True, timeout=120)
    assert second.returncode == 1 and "sy-dc2-core-r1 is locked by run" in second.stdout
    assert first.wait(timeout=120) == 0
    assert not (two / "changes" / A / "runs").exists()
