"""What an exec command may do with the CLI session it runs in.

``cli_session`` runs the exec commands of ``exec_commands`` and ``maintenance``;
they reach back only through this protocol, so the session depends on its
commands and never the other way round. :class:`CliSession` is the one
implementation; tests may pass anything shaped like it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from changeops_lab.device import DeviceState
from changeops_lab.replies import INVALID, Reply
from changeops_lab.show_network import Lookup


class Terminal(Protocol):
    """The device behind the session, the logged-in user, and the ways to answer a line."""

    device: DeviceState
    neighbours: Lookup
    enable_secret: str
    user: str
    privileged: bool

    def done(self, output: str = "") -> Reply:
        """``output``, then the prompt of the current mode."""
        ...

    def ask(self, text: str, on_answer: Callable[[str], Reply], echo: bool = True, output: str = "") -> Reply:
        """``output``, then the question ``text``; the next line goes to ``on_answer``."""
        ...

    def refuse(self, command: str, message: str = INVALID) -> str:
        """The error IOS prints for ``command`` (with the ``^`` marker when the message names one)."""
        ...

    def enter_config(self) -> Reply:
        """Switch to ``(config)#`` mode."""
        ...
