"""What `configure replace` applies: the commands that turn one configuration into another.

hier-config knows IOS's tree and which lines negate which, so the lab asks
it for the remediation rather than diffing text itself. The lab still
installs the target text as the new running-config, so a rollback restores
byte for byte; the commands are what `configure replace ... list` prints.
"""

from __future__ import annotations

from hier_config import Platform, get_hconfig


def replace_commands(running: str, target: str) -> list[str]:
    """The commands, indented one space per level as IOS prints them, from ``running`` to ``target``."""
    current = get_hconfig(Platform.CISCO_IOS, running)
    wanted = get_hconfig(Platform.CISCO_IOS, target)
    commands = []
    for line in current.config_to_get_to(wanted).all_children_sorted():
        text = line.text
        if text.startswith("no banner "):
            text = " ".join(text.split()[:3])  # IOS removes a banner by its kind, not its text
        commands.append(" " * (line.depth() - 1) + text)
    return commands


def replace_listing(running: str, target: str) -> str:
    """The `!List of Commands:` block `configure replace FILE list` prints."""
    return "\n".join(["!Pass 1", "", "!List of Commands:", *replace_commands(running, target), "end"])
