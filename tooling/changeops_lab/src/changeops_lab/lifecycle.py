"""Start, stop and inspect a lab from the outside (the CLI and the pytest fixture use these).

`lab_up` daemonises the supervisor (own session, no terminal, output to
``supervisor.log``, explicit environment) and waits until it wrote
``lab.json``. `lab_down` stops it by its pid file and then kills any process
it recorded (sshd) that is still alive, so a crashed supervisor leaves nothing
behind. A pid is only signalled if its command line names this state dir.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from changeops_lab.errors import LabError
from changeops_lab.paths import LabPaths

START_TIMEOUT = 60.0
STOP_GRACE = 10.0


@dataclass
class LabInfo:
    """A running lab as ``lab.json`` describes it."""

    state_dir: Path
    pid: int
    devices: dict[str, int]
    linux: dict[str, dict[str, Any]]
    overlay: Path
    ready_seconds: float
    warnings: list[str] = field(default_factory=list)

    @classmethod
    def read(cls, paths: LabPaths) -> LabInfo:
        data = json.loads(paths.lab_json.read_text(encoding="utf-8"))
        return cls(paths.root, data["pid"], data["devices"], data["linux"], Path(data["overlay"]),
                   data["ready_seconds"], data.get("warnings", []))


@dataclass
class StopReport:
    stopped: list[str] = field(default_factory=list)
    killed: list[str] = field(default_factory=list)


def lab_up(state_dir: Path, *, estate: Path | None = None, devices: int = 0, linux: bool = True,
           reload_seconds: float = 3.0, timeout: float = START_TIMEOUT) -> LabInfo:
    """Start a lab in ``state_dir`` and return once every device and host answers."""
    paths = LabPaths(state_dir.resolve())
    if _running_pid(paths):
        raise LabError(paths.root, "a lab is already running here", "stop it with `changeops lab down`")
    paths.root.mkdir(parents=True, exist_ok=True)
    paths.lab_json.unlink(missing_ok=True)
    from changeops_lab.credentials import prepare_secrets  # asyncssh: only when starting

    prepare_secrets(paths)
    command = [sys.executable, "-m", "changeops_lab.supervisor", "--state-dir", str(paths.root),
               "--reload-seconds", str(reload_seconds)]
    command += ["--devices", str(devices)] if devices else ["--estate", str(_estate_root(paths, estate))]
    command += [] if linux else ["--no-linux"]
    with paths.supervisor_log.open("ab") as log:
        process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=log, stderr=log,
                                   env=_supervisor_env(), cwd=str(paths.root), start_new_session=True)
    return _await_ready(paths, process, timeout)


def _estate_root(paths: LabPaths, estate: Path | None) -> Path:
    if estate is None:
        raise LabError(paths.root, "no inventory to serve", "pass the repository root or --devices N")
    return estate.resolve()


def _supervisor_env() -> dict[str, str]:
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "LANG": "C.UTF-8", "PYTHONUNBUFFERED": "1",
           "HOME": os.environ.get("HOME", "/tmp")}
    if "PYTHONPATH" in os.environ:
        env["PYTHONPATH"] = os.environ["PYTHONPATH"]
    return env


def _await_ready(paths: LabPaths, process: subprocess.Popen[bytes], timeout: float) -> LabInfo:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if paths.lab_json.exists():
            return LabInfo.read(paths)
        if process.poll() is not None:
            raise LabError(paths.root, f"the lab supervisor exited with {process.returncode}: {_log_tail(paths)}")
        time.sleep(0.05)
    lab_down(paths.root)
    raise LabError(paths.root, f"the lab was not ready after {timeout:g} s; stopped it. {_log_tail(paths)}")


def _log_tail(paths: LabPaths) -> str:
    try:
        return paths.supervisor_log.read_text(errors="replace")[-1500:].strip()
    except OSError:
        return "(no supervisor log)"


def lab_down(state_dir: Path) -> StopReport:
    """Stop the lab's supervisor and every process it recorded; safe to call when nothing runs."""
    paths = LabPaths(state_dir.resolve())
    report = StopReport()
    pid = _running_pid(paths)
    if pid:
        _stop(pid, paths, report, f"supervisor {pid}")
    for pid_file in sorted(paths.pids.glob("*.pid")) if paths.pids.is_dir() else []:
        recorded = _read_pid(pid_file)
        if recorded and _alive(recorded) and _ours(recorded, paths):
            _stop(recorded, paths, report, f"{pid_file.stem} {recorded}", group=True)
        pid_file.unlink(missing_ok=True)
    paths.supervisor_pid.unlink(missing_ok=True)
    paths.lab_json.unlink(missing_ok=True)
    return report


def _stop(pid: int, paths: LabPaths, report: StopReport, label: str, group: bool = False) -> None:
    _signal(pid, signal.SIGTERM, group)
    deadline = time.monotonic() + STOP_GRACE
    while time.monotonic() < deadline and _alive(pid):
        time.sleep(0.05)
    if _alive(pid):
        _signal(pid, signal.SIGKILL, group)
        report.killed.append(label)
    else:
        report.stopped.append(label)


def _signal(pid: int, sig: signal.Signals, group: bool) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):  # already gone, or a pid reused by another user
        os.killpg(pid, sig) if group else os.kill(pid, sig)


def lab_status(state_dir: Path) -> LabInfo | None:
    """The running lab's description, or None when none runs in ``state_dir``."""
    paths = LabPaths(state_dir.resolve())
    if not _running_pid(paths) or not paths.lab_json.exists():
        return None
    return LabInfo.read(paths)


def _running_pid(paths: LabPaths) -> int | None:
    pid = _read_pid(paths.supervisor_pid)
    return pid if pid and _alive(pid) and _ours(pid, paths) else None


def _read_pid(path: Path) -> int | None:
    try:
        return int(path.read_text().strip())
    except (OSError, ValueError):
        return None


def _alive(pid: int) -> bool:
    """True for a live process (a zombie waiting to be reaped counts as gone)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[-1].split()[0] not in ("Z", "X")


def _ours(pid: int, paths: LabPaths) -> bool:
    """The process's command line names this lab's state dir (a reused pid is left alone)."""
    try:
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return False
    return str(paths.root) in cmdline
