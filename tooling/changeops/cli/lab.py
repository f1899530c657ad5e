"""Command groups of other distributions, `changeops lab` first, mounted from the ``changeops.commands`` entry points.

The device lab (tooling/changeops_lab) is its own distribution, so a production install carries neither
the simulator nor asyncssh: its Typer app is found through the entry point group, never imported. This
module only mounts what is registered, gives each command an example and the exit codes in its help,
and stands in for a missing lab with a command that says how to install it.
"""

from __future__ import annotations

from importlib.metadata import EntryPoint

import typer

from changeops.cli.common import epilog
from changeops.errors import UsageError

COMMAND_GROUP = "changeops.commands"
LAB_MISSING = ("the device lab is not installed; in a changeops checkout, install it next to changeops with "
               "`pip install -e tooling/changeops_lab` (scripts/setup.sh does)")
# Help of the lab's commands: a one-line summary for the command list (longer ones are cut with "...")
# and an example to copy.
SUMMARIES = {
    "up": "Start the lab; print where each device answers.",
    "down": "Stop the lab and every process it started.",
    "status": "Each device and Linux host of the running lab.",
    "fault": "Make a device refuse, hang, slow down or fail.",
    "rewire": "Move a cable, as a device move does.",
    "flash": "Put an image or SMU on a device's flash.",
    "reset": "Return a device to its starting state.",
}
EXAMPLES = {
    "up": "changeops lab up --reload-seconds 2",
    "down": "changeops lab down",
    "status": "changeops lab status --json",
    "fault": "changeops lab fault sy-dc1-core-r1 refuse-command 'boot system'",
    "rewire": "changeops lab rewire dl-pop1-acc-sw1 GigabitEthernet1/1/1 sy-dc1-acc-sw1 TenGigabitEthernet1/1/2",
    "flash": "changeops lab flash sy-dc1-core-r1 smu.bin --md5 4f0b3c2e9a7d61b85c3e0f12d9a4b7e6",
    "reset": "changeops lab reset sy-dc1-core-r1",
}


def register(app: typer.Typer) -> None:
    """Add the registered command groups to ``app`` (the CLI's group registration hook)."""
    mount_command_groups(app)


def mount_command_groups(target: typer.Typer) -> None:
    """Mount each Typer app registered under ``changeops.commands``; ``lab`` answers even when absent."""
    from importlib.metadata import entry_points

    mounted: set[str] = set()
    for entry in entry_points(group=COMMAND_GROUP):
        problem = _mount(target, entry)
        if problem:
            _mount_unavailable(target, entry.name, problem)
        mounted.add(entry.name)
    if "lab" not in mounted:
        _mount_unavailable(target, "lab", LAB_MISSING)


def _mount(target: typer.Typer, entry: EntryPoint) -> str | None:
    """Mount one registered group; returns why it could not be mounted, or None."""
    try:
        group = entry.load()
    except Exception as error:  # a broken add-on must not take down every other command
        return f"`{entry.value}` could not be loaded ({type(error).__name__}: {error}); reinstall it"
    if not isinstance(group, typer.Typer):
        return f"`{entry.value}` is not a Typer app"
    _with_examples(group, entry.name)
    if entry.name == "lab":
        target.add_typer(group, name="lab", short_help="The simulated device lab on loopback.",
                         epilog=epilog("changeops lab up", "changeops lab down"))
    else:
        target.add_typer(group, name=entry.name, epilog=epilog(f"changeops {entry.name} --help"))
    return None


def _with_examples(group: typer.Typer, name: str) -> None:
    """Plain help with an example and the exit codes for each command of a mounted group."""
    group.rich_markup_mode = None  # like every other command: flags without <bool>
    for command in group.registered_commands:
        command_name = command.name or (command.callback.__name__ if command.callback else "")
        known = name == "lab"
        if command.epilog is None:
            command.epilog = epilog(EXAMPLES[command_name] if known and command_name in EXAMPLES
                                    else f"changeops {name} {command_name} --help")
        if command.short_help is None and known and command_name in SUMMARIES:
            command.short_help = SUMMARIES[command_name]


def _mount_unavailable(target: typer.Typer, name: str, problem: str) -> None:
    """A stand-in command that takes any arguments and explains why the real one is missing (exit 2)."""
    settings = {"allow_extra_args": True, "ignore_unknown_options": True, "help_option_names": []}

    @target.command(name, context_settings=settings, help=f"Not available: {problem}.", short_help="Not installed.",
                    epilog=epilog(f"changeops {name}"))
    def unavailable() -> None:
        raise UsageError(f"changeops {name}: {problem}")
