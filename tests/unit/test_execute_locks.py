"""Who holds a lock, and when a lock's runner is gone: decided on the machine that took it, never by its name alone."""

from __future__ import annotations

import os
import socket
import subprocess

from changeops.execute.locks import Holder, machine, me, process_start


def holder(machine_name: str, pid: int, started: str) -> Holder:
    return Holder("sy-dc1-core-r1", "0" * 40, "20261208T003000Z-abcdef", "CHG-20261208-core-smu-snmp",
                  machine_name, pid, started)


def dead_pid() -> tuple[int, str]:
    """A process ID that was alive a moment ago (so it looks plausible) and its start time."""
    child = subprocess.Popen(["sleep", "0"])
    started = process_start(child.pid)
    child.wait()
    return child.pid, started or "1"


def test_this_machine_is_named_by_host_name_boot_and_pid_namespace() -> None:
    name = machine()
    assert name.startswith(socket.gethostname() + " [") and len(name.rsplit("[", 1)[1]) == 9
    assert me()["machine"] == name == machine()  # stable within a boot and namespace


def test_a_lock_of_this_machine_whose_process_is_gone_is_stale() -> None:
    pid, started = dead_pid()
    assert holder(machine(), pid, started).gone_here
    assert not holder(machine(), os.getpid(), process_start(os.getpid())).gone_here  # alive: kept


def test_a_lock_taken_on_another_machine_of_the_same_host_name_is_never_taken_for_ours() -> None:
    """Two runners in containers both called `ci-runner`: a PID of the other one means nothing here."""
    pid, started = dead_pid()
    for elsewhere in (socket.gethostname(), f"{socket.gethostname()} [00000000]"):
        lock = holder(elsewhere, pid, started)
        assert not lock.gone_here and not lock.stale  # only its lease can free it
