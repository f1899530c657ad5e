"""Tie a stage's ansible-playbook, and everything it starts, to the runner that started it.

Run as a script: ``python -I -S tether.py RUNNER_PID COMMAND [ARG ...]``, or on an execution node
``python -I -S tether.py channel COMMAND [ARG ...]`` (below). Imported, it lends its process-tree
helpers (:func:`below`, :func:`kill_below`) to the tests and benches that watch playbooks.

ansible-runner starts ansible-playbook in a session of its own that ignores SIGHUP, and
Ansible puts each worker (one task on one host) in a session of its own too. So a runner
killed outright (SIGKILL, the OOM killer) left its playbook running, and a stage stopped at its
time limit (ansible-runner kills the playbook's process group) left the task in flight running:
devices went on being changed after the run's record said they were not, with nobody recording
it and past the lease other runners wait for.

Three processes make the tie, each stopped by the kernel when the one above it dies
(``PR_SET_PDEATHSIG``):

- the *tether* (this script as ansible-runner starts it) dies with the runner;
- the *guard*, in a process group of its own so that ansible-runner's kill of the playbook's
  group does not reach it, is the subreaper of everything below it
  (``PR_SET_CHILD_SUBREAPER``): when the tether dies, or the playbook is killed, it stops and kills
  every process left below it, workers and persistent connections included, then exits (after a
  playbook's own end the persistent connections are left to finish their log and time out);
- the playbook, in the tether's process group (the terminal's foreground, as before), dies
  with the guard.

The exit status is the playbook's. Only the standard library is used: it starts in
milliseconds and reads nothing of the estate.

On an execution node the runner is on another machine, at the far end of an SSH channel, and
the ``ansible-runner worker`` the channel runs does not stop its playbook when the channel goes
(its writes fail in a thread nobody hears). ``channel`` mode is the node key's forced command:
the worker runs below it, and it is the subreaper of everything the worker starts. When its
standard output hangs up (sshd closed the channel's end: the controller was killed or its
connection lost) or the worker is killed, it kills every process below it, then exits. After
the worker's own end, what is left below (persistent connections, the task in flight of a
playbook stopped at its time limit) is killed too: the results have been sent by then. The
worker's ``TMPDIR`` is a folder of the tether's, removed as it exits: the job's private data
(inventory, record variables, the backups a rollback restores from) does not stay on the node
after a kill, when the worker's own clean-up never runs.
"""

from __future__ import annotations

import ctypes
import os
import select
import shutil
import signal
import sys
import tempfile
from contextlib import suppress
from pathlib import Path

PR_SET_PDEATHSIG = 1
PR_SET_CHILD_SUBREAPER = 36


def _prctl(option: int, value: int) -> bool:
    """Linux's prctl; False where it is refused or missing (the caller then starts nothing)."""
    try:
        return bool(ctypes.CDLL(None, use_errno=True).prctl(option, value, 0, 0, 0) == 0)
    except (AttributeError, OSError):
        return False


def _tied_to(parent: int, signum: int) -> bool:
    """``signum`` when ``parent`` dies; False when it is gone already (or prctl is refused)."""
    return _prctl(PR_SET_PDEATHSIG, signum) and os.getppid() == parent


def below(pid: int) -> list[int]:
    """Every process below ``pid`` (children, their children, ...), from /proc."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            with suppress(OSError, IndexError, ValueError):
                parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
                children.setdefault(parent, []).append(int(entry.name))
    found, queue = [], [pid]
    while queue:
        for child in children.get(queue.pop(), []):
            found.append(child)
            queue.append(child)
    return found


def kill_below(pid: int) -> set[int]:
    """SIGKILL every process below ``pid``, each stopped first so that none forks past the kill; the processes."""
    stopped: set[int] = set()
    while fresh := [p for p in below(pid) if p not in stopped]:
        for member in fresh:
            with suppress(ProcessLookupError):
                os.kill(member, signal.SIGSTOP)
            stopped.add(member)
    for member in stopped:
        with suppress(ProcessLookupError):
            os.kill(member, signal.SIGKILL)
    return stopped


def _end_all(signum: int, frame: object) -> None:
    """The guard's answer to the tether's death: kill everything below, reap it, exit."""
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    _clear_below()
    os._exit(128 + signum)


def _clear_below() -> None:
    kill_below(os.getpid())
    with suppress(ChildProcessError):
        while os.waitpid(-1, 0)[0] > 0:
            pass
    if _scratch:
        shutil.rmtree(_scratch[0], ignore_errors=True)


_scratch: list[str] = []
"""``channel`` mode: the worker's temporary folder (its ``TMPDIR``), removed with everything below."""


def _exit_code(status: int) -> int:
    code = os.waitstatus_to_exitcode(status)
    return code if code >= 0 else 128 - code


def _wait_for(child: int) -> int:
    """``child``'s wait status; other children (orphans a subreaper inherits) are reaped on the way."""
    while True:
        pid, status = os.waitpid(-1, 0)
        if pid == child:
            return status


def _playbook(guard: int, group: int, command: list[str]) -> None:
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    if not _tied_to(guard, signal.SIGKILL):
        os._exit(1)
    os.setpgid(0, group)
    try:
        os.execvp(command[0], command)
    except OSError as error:
        print(f"tether: cannot run {command[0]}: {error}", file=sys.stderr)
        os._exit(127)


def _guard(tether: int, command: list[str]) -> int:
    signal.signal(signal.SIGTERM, _end_all)
    os.setpgid(0, 0)
    if not (_prctl(PR_SET_CHILD_SUBREAPER, 1) and _tied_to(tether, signal.SIGTERM)):
        print("tether: the kernel refused to tie the playbook to the runner (prctl); nothing was started",
              file=sys.stderr)
        return 1
    guard = os.getpid()
    child = os.fork()
    if child == 0:
        try:
            _playbook(guard, os.getpgid(tether), command)
        finally:
            os._exit(1)  # only when the exec did not happen
    status = _wait_for(child)
    if os.WIFSIGNALED(status) or os.getppid() != tether:
        # The playbook was killed (ansible-runner's time limit kills its group, the tether with it): its workers
        # go too. Its death can reach this line before the tether's death signal reaches the handler.
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        _clear_below()
    return _exit_code(status)


def channel(command: list[str]) -> int:
    """Run ``command`` (the node's worker) while the SSH channel on standard output is open; see the module."""
    for signum in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, _end_all)
    if not _prctl(PR_SET_CHILD_SUBREAPER, 1):
        print("tether: the kernel refused to make the worker's guard a subreaper (prctl); nothing was started",
              file=sys.stderr)
        return 1
    _scratch.append(tempfile.mkdtemp(prefix="changeops-channel-"))
    child = os.fork()
    if child == 0:
        try:
            for signum in (signal.SIGTERM, signal.SIGHUP):
                signal.signal(signum, signal.SIG_DFL)
            os.execvpe(command[0], command, {**os.environ, "TMPDIR": _scratch[0]})
        except OSError as error:
            print(f"tether: cannot run {command[0]}: {error}", file=sys.stderr)
        finally:
            os._exit(127)
    channel_end = select.poll()
    channel_end.register(sys.stdout.fileno(), 0)  # hang-up and error are reported whatever is asked for
    while True:
        pid, status = os.waitpid(-1, os.WNOHANG)
        while pid:
            if pid == child:
                _clear_below()
                return _exit_code(status)
            pid, status = os.waitpid(-1, os.WNOHANG)
        if channel_end.poll(200):
            _clear_below()
            return 128 + signal.SIGHUP


def main(argv: list[str]) -> int:
    if len(argv) >= 2 and argv[0] == "channel":
        return channel(argv[1:])
    if len(argv) < 2 or not argv[0].isdigit():
        print("usage: tether.py RUNNER_PID COMMAND [ARG ...] | tether.py channel COMMAND [ARG ...]", file=sys.stderr)
        return 2
    runner, command = int(argv[0]), argv[1:]
    signal.signal(signal.SIGTERM, lambda signum, frame: os._exit(128 + signum))
    if not _tied_to(runner, signal.SIGTERM):
        print("tether: the runner is gone or the kernel refused prctl; nothing was started", file=sys.stderr)
        return 1
    tether = os.getpid()
    child = os.fork()
    if child == 0:
        code = 1
        try:
            code = _guard(tether, command)
        finally:
            os._exit(code)
    return _exit_code(_wait_for(child))


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
