"""`changeops lab ...`: start, stop and steer the device lab. changeops mounts ``app`` as ``lab`` (entry point).

Thin: each command calls one function of ``lifecycle`` or ``LabControl`` and
prints the result; errors are LabError (a ChangeopsError) for the main app to
render.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer
from changeops.errors import ChangeopsError
from rich.console import Console
from rich.table import Table

from changeops_lab.errors import LabError
from changeops_lab.faults import FAULT_KINDS
from changeops_lab.lifecycle import lab_down, lab_status, lab_up
from changeops_lab.paths import DEFAULT_STATE_DIR

app = typer.Typer(no_args_is_help=True, add_completion=False, pretty_exceptions_enable=False,
                      help="Simulated network devices and Linux hosts on loopback, for tests and the demo.")
out = Console(highlight=False, soft_wrap=True)

StateOption = Annotated[Path | None, typer.Option("--state-dir", help="Lab state folder (default: <repo>/.lab).")]
RepoOption = Annotated[Path | None, typer.Option("--repo", help="Repository whose inventory the lab serves.")]


def _repo(repo: Path | None, required: bool = True) -> Path | None:
    from changeops.estate.layout import Estate

    try:
        return Estate.find(repo or Path.cwd()).root
    except ChangeopsError:
        if required:
            raise
        return None


def _state_dir(state_dir: Path | None, repo: Path | None = None) -> Path:
    if state_dir is not None:
        return state_dir
    root = _repo(repo, required=False)
    return (root or Path.cwd()) / DEFAULT_STATE_DIR


@app.command()
def up(
    devices: Annotated[int, typer.Option("--devices", min=0, help="Serve N synthetic devices instead of the "
                                                                   "inventory's (benchmarks).")] = 0,
    linux: Annotated[bool, typer.Option("--linux/--no-linux", help="Start sshd for the inventory's Linux hosts.")]
    = True,
    reload_seconds: Annotated[float, typer.Option("--reload-seconds", min=0, help="How long a reloading device "
                                                                               "stays down.")] = 3.0,
    state_dir: StateOption = None,
    repo: RepoOption = None,
) -> None:
    """Start the lab (daemonised) and print where each device and host answers."""
    estate = None if devices else _repo(repo)
    info = lab_up(_state_dir(state_dir, repo), estate=estate, devices=devices, linux=linux,
                  reload_seconds=reload_seconds)
    out.print(f"lab up in {info.ready_seconds:.2f} s: {len(info.devices)} devices, {len(info.linux)} Linux hosts "
              f"(supervisor pid {info.pid})")
    out.print(f"inventory overlay: {info.overlay}")
    for warning in info.warnings:
        out.print(f"[yellow]warning:[/] {warning}")


@app.command()
def down(state_dir: StateOption = None) -> None:
    """Stop the lab and every process it started (also after a crash of the supervisor)."""
    report = lab_down(_state_dir(state_dir))
    if not report.stopped and not report.killed:
        out.print("no lab was running")
    for label in report.stopped:
        out.print(f"stopped {label}")
    for label in report.killed:
        out.print(f"[yellow]killed[/] {label} (did not stop in time)")


@app.command()
def status(
    state_dir: StateOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the status as JSON.")] = False,
) -> None:
    """Show each device (port, version, faults) and Linux host of the running lab."""
    folder = _state_dir(state_dir)
    if lab_status(folder) is None:
        out.print(f"no lab running in {folder}")
        raise typer.Exit(1)
    from changeops_lab.control import LabControl  # imports asyncssh: only when the lab is used

    report = LabControl(folder).status()
    if as_json:
        out.print_json(json.dumps(report))
        return
    table = Table("host", "port", "version", "state", "faults")
    for device in report["devices"]:
        table.add_row(device["host"], str(device["port"]), device["version"],
                      "reloading" if device["reloading"] else "up", ", ".join(device["faults"]) or "-")
    for name, host in report["linux"].items():
        table.add_row(name, f"{host['address']}:{host['port']}", "linux (sshd)", f"pid {host['pid']}", "-")
    out.print(table)


@app.command()
def fault(
    host: Annotated[str, typer.Argument(help="Lab device.")],
    kind: Annotated[str, typer.Argument(help=f"One of: {', '.join(FAULT_KINDS)}.")],
    arguments: Annotated[list[str] | None, typer.Argument(
        help="Regex for refuse-command, seconds for slow, CELSIUS for hot-sensor, INTERFACE [COUNT] for "
             "crc-errors, PERCENT for high-cpu.", show_default=False)] = None,
    message: Annotated[str | None, typer.Option("--message", help="Error text for refuse-command.")] = None,
    state_dir: StateOption = None,
) -> None:
    """Make a device refuse commands, hang, answer slowly, fail its next reload, or show a fault an
    inspection must notice (fan-failed, psu-failed, hot-sensor, crc-errors, neighbour-flap, high-cpu);
    `clear` lifts all."""
    from changeops_lab.control import LabControl

    argument = " ".join(arguments) if arguments else None
    result = LabControl(_state_dir(state_dir)).set_fault(host, kind, argument, message)
    out.print(f"{host}: faults {', '.join(result['faults']) or 'none'}")


@app.command()
def rewire(
    host: Annotated[str, typer.Argument()],
    port: Annotated[str, typer.Argument(help="Local interface, full name.")],
    peer: Annotated[str | None, typer.Argument(help="Device at the other end (omit to unplug).")] = None,
    peer_port: Annotated[str | None, typer.Argument(help="Its interface.")] = None,
    state_dir: StateOption = None,
) -> None:
    """Move a cable (what CDP reports), as a device move does."""
    from changeops_lab.control import LabControl

    LabControl(_state_dir(state_dir)).rewire(host, port, peer, peer_port)
    out.print(f"{host} {port} -> {peer or 'unplugged'} {peer_port or ''}".rstrip())


@app.command()
def flash(
    host: Annotated[str, typer.Argument()],
    name: Annotated[str, typer.Argument(help="File name on flash:.")],
    md5: Annotated[str | None, typer.Option("--md5", help="MD5 `verify /md5` reports.")] = None,
    version: Annotated[str | None, typer.Option("--version", help="Version the image boots.")] = None,
    state_dir: StateOption = None,
) -> None:
    """Put an image or SMU on a device's flash (as if copied there before the window)."""
    from changeops_lab.control import LabControl

    result = LabControl(_state_dir(state_dir)).add_flash_file(host, name, md5=md5, version=version)
    out.print(f"{host}: flash:{result['name']} {result['size']} bytes md5 {result['md5']}")


@app.command()
def reset(host: Annotated[str, typer.Argument()], state_dir: StateOption = None) -> None:
    """Return a device to the state the lab started it in."""
    from changeops_lab.control import LabControl

    LabControl(_state_dir(state_dir)).reset(host)
    out.print(f"{host}: reset")


def main() -> int:
    """Run the lab commands on their own (``python -m changeops_lab``)."""
    try:
        app(standalone_mode=False)
    except typer.Exit as done:
        return done.exit_code
    except (LabError, ChangeopsError) as problem:
        print(f"error: {problem}", file=sys.stderr)
        return problem.exit_code
    return 0


if __name__ == "__main__":
    sys.exit(main())
