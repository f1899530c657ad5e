"""The kill tests' stop point: inert unless CHANGEOPS_TEST_KILL_AT names the point reached."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from changeops.execute.kill_points import VARIABLE

SCRIPT = "from changeops.execute.kill_points import reached\nreached('before-backup')\nprint('went on')\n"


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != VARIABLE}
    return {**env, **extra}


@pytest.mark.parametrize("named", [None, "before-implementation", "BEFORE-BACKUP", ""])
def test_a_run_goes_on_unless_its_point_is_named(named: str | None) -> None:
    env = _env() if named is None else _env(**{VARIABLE: named})
    done = subprocess.run([sys.executable, "-c", SCRIPT], env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0 and done.stdout == "went on\n"


def test_the_named_point_stops_the_process_for_the_test_to_kill() -> None:
    process = subprocess.Popen([sys.executable, "-c", SCRIPT], env=_env(**{VARIABLE: "before-backup"}),
                               stdout=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 30
        while Path(f"/proc/{process.pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "T":
            assert time.monotonic() < deadline, "the process never stopped at its point"
            time.sleep(0.02)
        assert process.poll() is None
    finally:
        os.kill(process.pid, signal.SIGKILL)
    assert process.wait(timeout=30) == -signal.SIGKILL
    assert process.stdout is not None and process.stdout.read() == "", "nothing after the point ran"
