"""Linux hosts of the lab: one real OpenSSH ``sshd`` per host, on its own loopback address.

Each host gets 127.0.0.<n>, port 2222 when free (else a free port), its own
host key, config, pid file and working directory. Login is by the lab's
client key only. sshd runs in the foreground (``-D``) as a child of the
supervisor, in its own process group, and its pid is written to
``<state>/pids/sshd-<host>.pid`` the moment it is spawned, so `lab down` can
stop it even after the supervisor died.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

from changeops_lab.credentials import generate_ssh_key, linux_user
from changeops_lab.errors import LabError
from changeops_lab.paths import LabPaths

SSHD = Path("/usr/sbin/sshd")
PREFERRED_PORT = 2222
FIRST_ADDRESS = 11
READY_TIMEOUT = 10.0


@dataclass
class LinuxHost:
    name: str
    address: str
    port: int
    workdir: Path
    pid: int = 0


def sshd_available() -> bool:
    return SSHD.is_file() and os.access(SSHD, os.X_OK)


def plan_hosts(paths: LabPaths, names: list[str]) -> list[LinuxHost]:
    """An address, a port and a working directory for each host."""
    hosts = []
    for index, name in enumerate(names):
        address = f"127.0.0.{FIRST_ADDRESS + index}"
        hosts.append(LinuxHost(name, address, _free_port(address), paths.linux_host(name) / "work"))
    return hosts


def _free_port(address: str) -> int:
    for port in (PREFERRED_PORT, 0):
        with socket.socket() as probe:
            try:
                probe.bind((address, port))
            except OSError:
                continue
            bound: int = probe.getsockname()[1]
            return bound
    raise OSError(f"no free port on {address}")


def start_host(paths: LabPaths, host: LinuxHost) -> subprocess.Popen[bytes]:
    """Spawn sshd for ``host`` and record its pid; readiness is awaited by :func:`wait_ready`."""
    folder = paths.linux_host(host.name)
    (host.workdir / "tmp").mkdir(parents=True, exist_ok=True)
    Path("/run/sshd").mkdir(mode=0o755, exist_ok=True)
    host_key = folder / "ssh_host_ed25519_key"
    if not host_key.exists():
        generate_ssh_key(paths, host_key, f"changeops-lab-{host.name}")
    config = folder / "sshd_config"
    config.write_text(_sshd_config(paths, host, host_key, folder / "sshd.pid"), encoding="utf-8")
    log = (folder / "sshd.log").open("ab")
    process = subprocess.Popen([str(SSHD), "-D", "-e", "-f", str(config)], stdin=subprocess.DEVNULL,
                               stdout=log, stderr=log, env={"PATH": "/usr/sbin:/usr/bin:/bin", "LANG": "C"},
                               start_new_session=True)
    log.close()
    host.pid = process.pid
    paths.pids.mkdir(parents=True, exist_ok=True)
    (paths.pids / f"sshd-{host.name}.pid").write_text(f"{process.pid}\n", encoding="utf-8")
    return process


def _sshd_config(paths: LabPaths, host: LinuxHost, host_key: Path, pid_file: Path) -> str:
    return "\n".join([
        f"# changeops lab sshd for {host.name}",
        f"ListenAddress {host.address}:{host.port}",
        f"HostKey {host_key}",
        f"PidFile {pid_file}",
        f"AuthorizedKeysFile {paths.authorized_keys}",
        "PubkeyAuthentication yes",
        "PasswordAuthentication no",
        "KbdInteractiveAuthentication no",
        "UsePAM no",
        "StrictModes no",
        "PermitRootLogin prohibit-password",
        f"AllowUsers {linux_user()}",
        "Subsystem sftp internal-sftp",
        "LogLevel INFO",
        "",
    ])


def wait_ready(paths: LabPaths, host: LinuxHost, process: subprocess.Popen[bytes]) -> None:
    """Return once sshd answers with its SSH banner; raise LabError if it died or stays silent."""
    deadline = time.monotonic() + READY_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            log = (paths.linux_host(host.name) / "sshd.log").read_text(errors="replace")[-800:]
            raise LabError(paths.root, f"sshd for {host.name} exited with {process.returncode}: {log.strip()}")
        if _banner(host.address, host.port):
            return
        time.sleep(0.05)
    raise LabError(paths.root, f"sshd for {host.name} on {host.address}:{host.port} did not answer in "
                               f"{READY_TIMEOUT:g} s")


def _banner(address: str, port: int) -> bool:
    try:
        with socket.create_connection((address, port), timeout=1) as conn:
            return conn.recv(16).startswith(b"SSH-")
    except OSError:
        return False


def stop_host(process: subprocess.Popen[bytes], grace: float = 3.0) -> None:
    """Stop sshd and the session processes of its group."""
    if process.poll() is None:
        _signal_group(process.pid, signal.SIGTERM)
        try:
            process.wait(grace)
        except subprocess.TimeoutExpired:
            _signal_group(process.pid, signal.SIGKILL)
            process.wait(grace)
    _signal_group(process.pid, signal.SIGKILL)


def _signal_group(pid: int, sig: signal.Signals) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):  # already gone, or a pid reused by another user
        os.killpg(pid, sig)
