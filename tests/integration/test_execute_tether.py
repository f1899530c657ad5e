"""The tether on its own: what a playbook starts in sessions of its own never outlives the playbook's group kill."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from changeops.execute.backends.local import TETHER
from execute_estate import alive, still_alive

pytestmark = pytest.mark.integration


def tethered(tmp_path: Path, script: str, *, mode: str = "") -> tuple[subprocess.Popen[bytes], int]:
    """``sh -c script`` through the tether, in a session of its own as ansible-runner starts it; the PID the
    script wrote to ``tmp_path/worker`` (a process it started in yet another session, as Ansible's workers are).

    ``mode="channel"``: below the tether's channel mode instead, its standard output a pipe (the SSH channel)
    whose other end the test holds."""
    marker = tmp_path / "worker"
    marker.unlink(missing_ok=True)
    tether = subprocess.Popen([sys.executable, "-I", "-S", str(TETHER), mode or str(os.getpid()), "sh", "-c", script,
                               "sh", str(marker)], stdout=subprocess.PIPE if mode else None, start_new_session=True)
    deadline = time.monotonic() + 20
    while not marker.exists() or not marker.read_text().strip():
        assert time.monotonic() < deadline, "the tethered command never started its worker"
        time.sleep(0.02)
    return tether, int(marker.read_text())


WORKER = "setsid sleep 300 & echo $! > \"$1\"; wait"


@pytest.mark.parametrize("attempt", range(5))
def test_a_worker_in_its_own_session_dies_with_the_playbooks_group(tmp_path: Path, attempt: int) -> None:
    """ansible-runner's time limit: SIGKILL to the tether's process group, the tether and the playbook at once."""
    tether, worker = tethered(tmp_path, WORKER)
    os.killpg(tether.pid, signal.SIGKILL)
    tether.wait()
    assert still_alive([worker]) == [], "a worker outlived the playbook's group kill"


def test_a_playbook_killed_while_the_tether_lives_takes_its_workers_along(tmp_path: Path) -> None:
    """The playbook's death seen before the tether's (the order of a group kill is not fixed): still cleared."""
    tether, worker = tethered(tmp_path, WORKER.replace("; wait", "; kill -9 $$"))
    assert tether.wait(timeout=20) == 128 + signal.SIGKILL
    assert still_alive([worker]) == []


def test_the_exit_status_is_the_commands(tmp_path: Path) -> None:
    done = subprocess.run([sys.executable, "-I", "-S", str(TETHER), str(os.getpid()), "sh", "-c", "exit 3"],
                          timeout=20, start_new_session=True)
    assert done.returncode == 3


def test_nothing_starts_when_the_runner_named_is_not_the_parent(tmp_path: Path) -> None:
    marker = tmp_path / "ran"
    done = subprocess.run([sys.executable, "-I", "-S", str(TETHER), "1", "touch", str(marker)],
                          capture_output=True, text=True, timeout=20)
    assert done.returncode == 1 and "nothing was started" in done.stderr
    assert not marker.exists()


# The worker unpacks its job (inventory, record variables, backups) into a folder of TMPDIR.
UNPACKED = 'echo "$TMPDIR" > "$1.tmpdir"; mkdir "$TMPDIR/job"; echo "enable secret 5 x" > "$TMPDIR/job/backup.cfg"; '


def test_a_channel_that_hangs_up_takes_the_worker_and_all_below_it_along(tmp_path: Path) -> None:
    guard, playbook = tethered(tmp_path, UNPACKED + WORKER, mode="channel")
    job = Path((tmp_path / "worker.tmpdir").read_text().strip())
    assert alive(playbook) and (job / "job" / "backup.cfg").is_file()

    assert guard.stdout is not None
    guard.stdout.close()  # sshd's end of the channel, gone with the controller

    assert guard.wait(timeout=10) == 128 + signal.SIGHUP
    assert still_alive([playbook]) == [], "the playbook outlived the channel"
    assert not job.exists(), "the job's private data stayed on the node"


def test_on_an_open_channel_the_worker_ends_as_it_will_and_nothing_is_left(tmp_path: Path) -> None:
    guard, playbook = tethered(tmp_path, UNPACKED + WORKER.replace("; wait", "; echo results; exit 3"), mode="channel")
    out, _ = guard.communicate(timeout=20)
    assert guard.returncode == 3 and out == b"results\n"
    assert not alive(playbook), "what the worker left running outlived it"
    assert not Path((tmp_path / "worker.tmpdir").read_text().strip()).exists()


def test_a_killed_worker_takes_what_it_started_along(tmp_path: Path) -> None:
    guard, playbook = tethered(tmp_path, WORKER.replace("; wait", "; kill -9 $$"), mode="channel")
    assert guard.wait(timeout=20) == 128 + signal.SIGKILL
    assert not alive(playbook)
