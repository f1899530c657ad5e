"""`changeops lab`: the device lab's own command group, mounted here with help examples.

The lab ships its commands as a Typer app; this module only mounts it, so the lab can live in a
distribution of its own and be found through the ``changeops.commands`` entry point group.
"""

from __future__ import annotations

from importlib.metadata import entry_points

import typer

from changeops.cli.common import epilog

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
    """Mount the lab's commands as ``changeops lab``, each with an example and the exit codes in its help."""
    lab_app = _lab_app()
    lab_app.rich_markup_mode = None  # plain help like every other command
    for command in lab_app.registered_commands:
        name = command.name or (command.callback.__name__ if command.callback else "")
        if command.epilog is None:
            command.epilog = epilog(EXAMPLES.get(name, f"changeops lab {name} --help"))
        if command.short_help is None and name in SUMMARIES:  # the command list cuts longer ones with "..."
            command.short_help = SUMMARIES[name]
    app.add_typer(lab_app, name="lab", short_help="The simulated device lab on loopback.",
                  epilog=epilog("changeops lab up", "changeops lab down"))


def _lab_app() -> typer.Typer:
    found = entry_points(group="changeops.commands", name="lab")
    if found:
        return next(iter(found)).load()
    from changeops.lab.cli import lab_app  # the lab as part of this distribution

    return lab_app
