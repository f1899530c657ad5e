"""The lab process: serves every simulated device, runs the Linux hosts' sshd, answers admin requests.

Started (daemonised) by `changeops lab up` as
``python -m changeops_lab.supervisor --state-dir DIR (--estate ROOT | --devices N)``.
It writes ``supervisor.pid`` first, ``lab.json`` once everything answers, and
on SIGTERM stops sshd, saves device snapshots and removes both.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import secrets
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

import asyncssh
from changeops.estate.inventory import load_inventory
from changeops.estate.layout import Estate

from changeops_lab.control import ControlServer
from changeops_lab.credentials import device_credentials
from changeops_lab.device import DeviceState, device_from_host_vars, synthetic_device
from changeops_lab.errors import LabError
from changeops_lab.fleet import Fleet
from changeops_lab.linux_hosts import LinuxHost, plan_hosts, sshd_available, start_host, stop_host, wait_ready
from changeops_lab.overlay import write_overlay
from changeops_lab.paths import LabPaths

DEVICE_FACTS = ("model", "serial_number", "os_version", "role")


def plan_from_estate(state_dir: Path, root: Path, user: str) -> tuple[dict[str, Callable[[], DeviceState]], list[str]]:
    """Device builders for the inventory's `ios` group and the names of its `linux` group."""
    inventory = load_inventory(Estate(root))
    builders: dict[str, Callable[[], DeviceState]] = {}
    for host in sorted(inventory.groups.get("ios", set())):
        host_vars = inventory.hosts[host]
        missing = [fact for fact in DEVICE_FACTS if not host_vars.get(fact)]
        if missing:
            raise LabError(state_dir, f"inventory host {host} lacks {', '.join(missing)}",
                           f"add them to inventory/host_vars/{host}.yml")
        builders[host] = partial(device_from_host_vars, host, dict(host_vars), user)
    return builders, sorted(inventory.groups.get("linux", set()))


def plan_synthetic(count: int, user: str) -> dict[str, Callable[[], DeviceState]]:
    return {f"lab-r{i:03d}": partial(synthetic_device, i, user) for i in range(1, count + 1)}


async def serve(paths: LabPaths, args: argparse.Namespace) -> None:
    started = time.monotonic()
    credentials = device_credentials(paths)
    linux_names: list[str] = []
    if args.devices:
        builders = plan_synthetic(args.devices, credentials.user)
    else:
        builders, linux_names = plan_from_estate(paths.root, Path(args.estate), credentials.user)
    fleet = Fleet(builders, state_dir=paths.root, credentials=credentials,
                  host_key=asyncssh.read_private_key(str(paths.device_host_key)), reload_seconds=args.reload_seconds)
    await fleet.start()
    linux = plan_hosts(paths, linux_names) if args.linux and sshd_available() else []
    processes = [start_host(paths, host) for host in linux]
    try:
        for host, process in zip(linux, processes, strict=True):
            wait_ready(paths, host, process)
        await _run_until_stopped(paths, args, fleet, linux, started)
    finally:
        for process in processes:
            stop_host(process)
        for host in linux:
            (paths.pids / f"sshd-{host.name}.pid").unlink(missing_ok=True)
        fleet.save_snapshots()


async def _run_until_stopped(paths: LabPaths, args: argparse.Namespace, fleet: Fleet, linux: list[LinuxHost],
                             started: float) -> None:
    linux_info = {h.name: {"address": h.address, "port": h.port, "pid": h.pid, "workdir": str(h.workdir)}
                  for h in linux}
    skipped = [] if not args.linux or sshd_available() else ["linux hosts: /usr/sbin/sshd is not installed"]
    control = ControlServer(fleet, secrets.token_hex(16), {"linux": linux_info, "warnings": skipped})
    await control.start()
    devices = {name: e.port for name, e in fleet.endpoints.items()}
    write_overlay(paths, devices, fleet.credentials, linux, synthetic=bool(args.devices))
    _write_lab_json(paths, {
        "pid": os.getpid(), "state_dir": str(paths.root), "control_port": control.port,
        "control_token": control.token, "devices": devices, "linux": linux_info, "warnings": skipped,
        "overlay": str(paths.overlay), "estate": args.estate, "synthetic": bool(args.devices),
        "started_at": time.time(), "ready_seconds": round(time.monotonic() - started, 3),
    })
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    try:
        await stop.wait()
    finally:
        paths.lab_json.unlink(missing_ok=True)
        await control.stop()
        await fleet.stop()


def _write_lab_json(paths: LabPaths, data: dict[str, Any]) -> None:
    temporary = paths.lab_json.with_suffix(".tmp")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        json.dump(data, handle, indent=1)
    temporary.replace(paths.lab_json)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="changeops_lab.supervisor")
    parser.add_argument("--state-dir", required=True)
    parser.add_argument("--estate")
    parser.add_argument("--devices", type=int, default=0)
    parser.add_argument("--reload-seconds", type=float, default=3.0)
    parser.add_argument("--no-linux", dest="linux", action="store_false")
    args = parser.parse_args(argv)
    paths = LabPaths(Path(args.state_dir).resolve())
    paths.supervisor_pid.write_text(f"{os.getpid()}\n", encoding="utf-8")
    try:
        asyncio.run(serve(paths, args))
    except (LabError, OSError, subprocess.SubprocessError) as err:
        print(f"changeops lab supervisor: {err}", file=sys.stderr)
        return 2
    finally:
        paths.supervisor_pid.unlink(missing_ok=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
