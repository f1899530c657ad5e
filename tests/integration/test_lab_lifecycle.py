"""Starting and stopping labs: readiness, the CLI, and no orphans even after a supervisor crash."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from changeops_lab.lifecycle import lab_down, lab_status, lab_up
from changeops_lab.linux_hosts import sshd_available

pytestmark = pytest.mark.integration
REPO = Path(__file__).resolve().parents[2]


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[-1].split()[0]
    except OSError:
        return False
    return state not in ("Z", "X")


def _lab_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "changeops_lab", *args], capture_output=True, text=True,
                          timeout=60, env={**os.environ, "COLUMNS": "200"}, check=False)


def test_cli_up_status_down_with_synthetic_devices(tmp_path: Path) -> None:
    state = tmp_path / "state"

    started = _lab_cli("up", "--devices", "3", "--state-dir", str(state))
    status = _lab_cli("status", "--json", "--state-dir", str(state))
    pid = json.loads((state / "lab.json").read_text())["pid"]
    stopped = _lab_cli("down", "--state-dir", str(state))

    assert started.returncode == 0, started.stderr
    assert "3 devices" in started.stdout
    hosts = [d["host"] for d in json.loads(status.stdout)["devices"]]
    assert hosts == ["lab-r001", "lab-r002", "lab-r003"]
    assert stopped.returncode == 0 and f"stopped supervisor {pid}" in stopped.stdout
    assert not _alive(pid) and lab_status(state) is None
    assert json.loads((state / "snapshots" / "lab-r002.json").read_text())["version"] == "17.09.04a"


def test_second_up_in_the_same_folder_is_refused(tmp_path: Path) -> None:
    lab_up(tmp_path, devices=1)
    try:
        again = _lab_cli("up", "--devices", "1", "--state-dir", str(tmp_path))
    finally:
        lab_down(tmp_path)

    assert again.returncode == 2 and "already running" in again.stderr


@pytest.mark.skipif(not sshd_available(), reason="openssh-server is not installed")
def test_down_after_a_supervisor_crash_kills_the_recorded_sshd(tmp_path: Path) -> None:
    info = lab_up(tmp_path, estate=REPO)
    sshd_pids = [host["pid"] for host in info.linux.values()]
    os.kill(info.pid, signal.SIGKILL)
    deadline = time.monotonic() + 5
    while _alive(info.pid) and time.monotonic() < deadline:
        time.sleep(0.05)

    orphans_before = [pid for pid in sshd_pids if _alive(pid)]
    report = lab_down(tmp_path)

    assert sshd_pids and orphans_before == sshd_pids, "sshd outlives a crashed supervisor until `down`"
    assert not any(_alive(pid) for pid in sshd_pids)
    assert sorted(report.stopped) == sorted(f"sshd-{name} {host['pid']}" for name, host in info.linux.items())
    assert not list((tmp_path / "pids").glob("*.pid"))
