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

    privileged: bool  # `enable` and `disable` switch it

    @property
    def device(self) -> DeviceState:
        """The simulated device this session is logged in to (its state may change, the device may not)."""
        ...

    @property
    def neighbours(self) -> Lookup:
        """Other devices of the lab by name, for what CDP reports about the far end of a cable."""
        ...

    @property
    def enable_secret(self) -> str:
        """What `enable` asks for."""
        ...

    @property
    def user(self) -> str:
        """The logged-in user, as `show users` and the log name them."""
        ...

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
